package dev.relay.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A request body as JSON: strict UTF-8 (never guessed, never replaced), the project's mapper and its limits. */
final class JsonBody {

    private JsonBody() {
    }

    /** @param field what the body is, for the problem detail ({@code $}, or {@code data} in binary mode) */
    static JsonNode read(byte[] body, String field) {
        String text;
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest(field, field + ": not valid UTF-8 (at byte " + in.position() + ")");
        }
        if (text.isBlank()) {
            throw Problem.badRequest(field, field + ": empty body; expected JSON");
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw Problem.badRequest(field, field + ": nested deeper than " + Json.MAX_NESTING_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw Problem.badRequest(field, field + ": not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }
}
