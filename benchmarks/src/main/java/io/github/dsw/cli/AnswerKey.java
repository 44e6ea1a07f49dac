package io.github.dsw.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The course's answer key, {@code course/answers.tsv}: one exercise answer per line, tab-separated,
 *
 * <pre>key  kind  tolerance  encoded-value  unit  hint  source</pre>
 *
 * <ul>
 *   <li>{@code key} is {@code CHAPTER.EXERCISE} (e.g. {@code 6.3}) or, for an exercise with several numbers,
 *       {@code CHAPTER.EXERCISE.PART} ({@code 0.6.a});
 *   <li>{@code kind} is {@code abs} (|given − answer| ≤ tolerance), {@code rel} (|given − answer| ≤ tolerance ×
 *       |answer|) or {@code word} (one of the {@code |}-separated words, ignoring case; tolerance is {@code -});
 *   <li>{@code encoded-value} hides the answer from a glance, not from a determined reader: the UTF-8 bytes of
 *       the value XOR-ed with SHA-256 of {@code "dsw-answer:" + key} (repeated for a longer value), in Base64 ({@link #encode});
 *   <li>{@code source} says where the value comes from (a formula worked by hand, a paper, a JDK computation),
 *       never the implementation's own output, and never the value itself.
 * </ul>
 *
 * Lines starting with {@code #} and blank lines are comments.
 */
final class AnswerKey {

    /** One answer. {@code value} is the decoded answer (a number, or words separated by {@code |}). */
    record Answer(String key, String kind, double tolerance, String value, String unit, String hint, String source) {

        /** Whether {@code given} is accepted; throws {@link NumberFormatException} for a non-number on a numeric key. */
        boolean accepts(String given) {
            if (kind.equals("word")) {
                String g = normalise(given);
                for (String w : value.split("\\|")) {
                    if (normalise(w).equals(g)) {
                        return true;
                    }
                }
                return false;
            }
            String g = given.trim();
            if (unit.equals("%") && g.endsWith("%")) {
                g = g.substring(0, g.length() - 1); // the answer is in percent already
            }
            double x = parseNumber(g);
            double a = parseNumber(value);
            double allowed = kind.equals("rel") ? tolerance * Math.abs(a) : tolerance;
            return Math.abs(x - a) <= allowed * (1 + 1e-12) + 1e-15;
        }

        /** The tolerance as the student reads it, e.g. {@code ±2 %} or {@code ±0.5 ms}. */
        String describeTolerance() {
            return switch (kind) {
                case "word" -> "one word";
                case "rel" -> "±" + trim(tolerance * 100) + " %";
                default -> "±" + trim(tolerance) + (unit.equals("-") ? "" : " " + unit);
            };
        }
    }

    /** A word answer as compared: lower case, without blanks and brackets ({@code "(5, 4, 2)"} is {@code "5,4,2"}). */
    static String normalise(String word) {
        return word.toLowerCase(Locale.ROOT).replaceAll("[\\s()\\[\\]{}]", "");
    }

    private final Map<String, Answer> answers;

    private AnswerKey(Map<String, Answer> answers) {
        this.answers = answers;
    }

    static Path defaultFile() {
        return Workbench.root().resolve("course").resolve("answers.tsv");
    }

    /** Reads and decodes the file; a malformed line is an {@link IllegalArgumentException} naming the line. */
    static AnswerKey read(Path file) throws IOException {
        Map<String, Answer> answers = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = file.getFileName() + ":" + (i + 1);
            String[] f = line.split("\t", -1);
            if (f.length != 7) {
                throw new IllegalArgumentException(where + ": expected 7 tab-separated fields, found " + f.length);
            }
            String key = f[0].trim();
            if (!key.matches("\\d+\\.\\d+(\\.[a-z])?")) {
                throw new IllegalArgumentException(where + ": key '" + key + "' is not CHAPTER.EXERCISE[.part]");
            }
            String kind = f[1].trim();
            double tolerance;
            switch (kind) {
                case "abs", "rel" -> tolerance = Double.parseDouble(f[2].trim());
                case "word" -> tolerance = 0;
                default -> throw new IllegalArgumentException(where + ": kind '" + kind + "' is not abs, rel or word");
            }
            String value = decode(key, f[3].trim());
            if (!kind.equals("word")) {
                try {
                    parseNumber(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": key " + key + " decodes to no number");
                }
            }
            if (answers.put(key, new Answer(key, kind, tolerance, value, f[4].trim(), f[5].trim(), f[6].trim())) != null) {
                throw new IllegalArgumentException(where + ": key " + key + " appears twice");
            }
        }
        return new AnswerKey(answers);
    }

    Answer get(String key) {
        return answers.get(key);
    }

    List<String> keys() {
        return new ArrayList<>(answers.keySet());
    }

    List<Answer> all() {
        return new ArrayList<>(answers.values());
    }

    /** The keys nearest {@code key}: same exercise's parts first, then same chapter, then the closest spelling. */
    List<String> nearest(String key) {
        List<String> out = new ArrayList<>();
        for (String k : answers.keySet()) {
            if (k.startsWith(key + ".")) {
                out.add(k);
            }
        }
        if (out.isEmpty()) {
            String chapter = key.contains(".") ? key.substring(0, key.indexOf('.') + 1) : key + ".";
            for (String k : answers.keySet()) {
                if (k.startsWith(chapter)) {
                    out.add(k);
                }
            }
        }
        if (out.isEmpty()) {
            String c = Suggest.closest(key, answers.keySet());
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    static String encode(String key, String value) {
        return Base64.getEncoder().encodeToString(xor(key, value.getBytes(StandardCharsets.UTF_8)));
    }

    static String decode(String key, String encoded) {
        return new String(xor(key, Base64.getDecoder().decode(encoded)), StandardCharsets.UTF_8);
    }

    private static byte[] xor(String key, byte[] bytes) {
        byte[] pad;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            pad = sha.digest(("dsw-answer:" + key).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) (bytes[i] ^ pad[i % pad.length]);
        }
        return out;
    }

    /**
     * A number as a student may type it: {@code 0.9}, {@code 1e-3}, {@code 1,000} or {@code 1_000}, hexadecimal {@code 0x07}, {@code 90%}
     * (= 0.9, unless the answer's unit is {@code %}) or a fraction {@code 10/11}.
     */
    static double parseNumber(String s) {
        String t = s.trim().replace(",", "").replace("_", "");
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2), 16); // a CRC or a mask, as typed from a catalogue
        }
        if (t.endsWith("%")) {
            return parseNumber(t.substring(0, t.length() - 1)) / 100;
        }
        int slash = t.indexOf('/');
        if (slash > 0) {
            double d = Double.parseDouble(t.substring(slash + 1));
            if (d == 0) {
                throw new NumberFormatException("division by zero");
            }
            return Double.parseDouble(t.substring(0, slash)) / d;
        }
        double x = Double.parseDouble(t);
        if (!Double.isFinite(x)) {
            throw new NumberFormatException("not finite");
        }
        return x;
    }

    private static String trim(double x) {
        String s = String.format(Locale.ROOT, "%.6g", x);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
