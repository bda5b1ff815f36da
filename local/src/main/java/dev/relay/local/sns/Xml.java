package dev.relay.local.sns;

import java.util.ArrayDeque;
import java.util.Deque;

/** Just enough of an XML writer for query-protocol responses: nested elements and escaped text. */
final class Xml {

    private final StringBuilder out = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();

    Xml open(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml open(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"").append(escape(namespace)).append("\">");
        open.push(name);
        return this;
    }

    Xml close() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** A text element; a null text writes nothing (absent members are omitted, not empty). */
    Xml leaf(String name, String text) {
        if (text != null) {
            out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        }
        return this;
    }

    /** Appends another writer's (complete) output. */
    Xml raw(Xml other) {
        out.append(other.out);
        return this;
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements " + open);
        }
        return out.toString();
    }

    /** Escapes markup, and CR and TAB so that an XML parser's newline normalization gives them back unchanged. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\r' -> escaped.append("&#13;");
                case '\t' -> escaped.append("&#9;");
                default -> escaped.appendCodePoint(c);
            }
        });
        return escaped.toString();
    }
}
