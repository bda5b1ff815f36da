package dev.relay.cli;

import java.util.regex.Pattern;

/** A shell-style pattern over event types: {@code *} matches any characters (dots too), {@code ?} one. */
record Glob(String pattern, Pattern regex) {

    static Glob of(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(pattern, Pattern.compile(regex.toString()));
    }

    boolean matches(String text) {
        return regex.matcher(text).matches();
    }
}
