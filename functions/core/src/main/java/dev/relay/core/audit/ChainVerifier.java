package dev.relay.core.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks one stream: every record's checksum against its content, then the chain as it was written (followed link by
 * link from {@link HashChain#GENESIS}) against the order the records are stored in. Each problem is reported on the
 * record where it shows, as one of {@link Verification.Problem}.
 *
 * <p>What a self-contained hash chain cannot see: a record removed or rewritten (hashes recomputed) at the very end of
 * a stream, and a whole stream rewritten from some record on. Compare {@link Verification#headHash()} with a copy kept
 * elsewhere to close that gap.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    public static Verification verify(String stream, List<AuditRecord> stored) {
        List<AuditRecord> records = stored.stream().sorted(Comparator.comparingLong(AuditRecord::seq)).toList();
        List<Verification.Finding> findings = new ArrayList<>();
        for (AuditRecord record : records) {
            String computed = HashChain.checksum(record.entry());
            if (!computed.equals(record.checksum())) {
                findings.add(finding(record, Verification.Problem.CONTENT_CHANGED,
                        "content does not match its checksum (recorded " + abbrev(record.checksum()) + ", computed "
                                + abbrev(computed) + ")"));
            } else if (!HashChain.link(record.previousHash(), record.checksum()).equals(record.hash())) {
                findings.add(finding(record, Verification.Problem.CONTENT_CHANGED,
                        "its chain fields were altered (hash does not follow from previous hash and checksum)"));
            }
        }

        Map<String, List<AuditRecord>> byPrevious = new HashMap<>();
        Set<String> hashes = new HashSet<>();
        Set<String> linkedTo = new HashSet<>();
        for (AuditRecord record : records) {
            byPrevious.computeIfAbsent(record.previousHash(), k -> new ArrayList<>()).add(record);
            hashes.add(record.hash());
            linkedTo.add(record.previousHash());
        }

        LinkedHashSet<AuditRecord> chain = new LinkedHashSet<>();
        Set<AuditRecord> extra = new HashSet<>();
        String current = HashChain.GENESIS;
        AuditRecord last = null;
        while (true) {
            List<AuditRecord> candidates = byPrevious.getOrDefault(current, List.of()).stream()
                    .filter(r -> !chain.contains(r) && !extra.contains(r)).toList();
            AuditRecord next;
            if (!candidates.isEmpty()) {
                // Two records claiming the same predecessor: the one the chain goes on from is the genuine one.
                next = candidates.stream()
                        .min(Comparator.comparing((AuditRecord r) -> !linkedTo.contains(r.hash())).thenComparingLong(AuditRecord::seq))
                        .orElseThrow();
                for (AuditRecord other : candidates) {
                    if (other != next) {
                        extra.add(other);
                        findings.add(finding(other, Verification.Problem.EXTRA, "claims to follow the same record as seq "
                                + next.seq() + ", and nothing follows it: it was not written by the chain"));
                    }
                }
            } else {
                List<AuditRecord> remaining = records.stream().filter(r -> !chain.contains(r) && !extra.contains(r)).toList();
                if (remaining.isEmpty()) {
                    break;
                }
                next = remaining.stream().filter(r -> !hashes.contains(r.previousHash())).findFirst().orElse(remaining.getFirst());
                long expectedSeq = last == null ? 1 : last.seq() + 1;
                boolean orphan = !linkedTo.contains(next.hash());
                if (orphan && next.seq() <= expectedSeq) {
                    extra.add(next);
                    findings.add(finding(next, Verification.Problem.EXTRA,
                            "links to no record of the stream and no record links to it: it was not written by the chain"));
                    continue;
                }
                if (next.seq() > expectedSeq) {
                    findings.add(finding(next, Verification.Problem.MISSING, (next.seq() - expectedSeq == 1
                            ? "the record before it (seq " + expectedSeq + ") is missing"
                            : "the records before it (seq " + expectedSeq + " to " + (next.seq() - 1) + ") are missing")));
                } else if (last != null) {
                    findings.add(finding(last, Verification.Problem.CONTENT_CHANGED, "it was rewritten: seq " + next.seq()
                            + " was chained to a different record at this place"));
                } else {
                    findings.add(finding(next, Verification.Problem.MISSING, "the record it was chained to is missing"));
                }
            }
            chain.add(next);
            current = next.hash();
            last = next;
        }

        List<AuditRecord> chainOrder = List.copyOf(chain);
        List<AuditRecord> storedOrder = records.stream().filter(chain::contains).toList();
        for (int i = 0; i < storedOrder.size(); i++) {
            AuditRecord record = storedOrder.get(i);
            int written = chainOrder.indexOf(record);
            if (written != i) {
                AuditRecord predecessor = written == 0 ? null : chainOrder.get(written - 1);
                findings.add(finding(record, Verification.Problem.OUT_OF_ORDER, predecessor == null
                        ? "it was written first in the stream but is stored at seq " + record.seq()
                        : "it was written right after the record now at seq " + predecessor.seq()
                                + ", but is stored at seq " + record.seq()));
            }
        }
        findings.sort(Comparator.comparingLong(Verification.Finding::seq));
        String head = chainOrder.isEmpty() ? HashChain.GENESIS : chainOrder.getLast().hash();
        return new Verification(stream, records.size(), head, List.copyOf(findings));
    }

    private static Verification.Finding finding(AuditRecord record, Verification.Problem problem, String detail) {
        return new Verification.Finding(record.seq(), record.eventId(), problem, detail);
    }

    private static String abbrev(String hash) {
        return Objects.toString(hash, "none").length() > 12 ? hash.substring(0, 12) + "…" : Objects.toString(hash, "none");
    }
}
