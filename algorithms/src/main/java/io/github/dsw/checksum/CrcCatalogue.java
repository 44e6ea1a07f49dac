package io.github.dsw.checksum;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every model of the CRC RevEng catalogue of width 3 to 64, under its catalogue name and its aliases.
 *
 * <p>The data is {@code datasets/checksum/crc-catalogue.txt} (its header names the catalogue version and
 * where it was read), packaged on the class path as {@code io/github/dsw/checksum/crc-catalogue.txt}.
 * It is parsed once, on first use; a malformed line fails with its line number and field.
 */
public final class CrcCatalogue {

    static final String RESOURCE = "crc-catalogue.txt";

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    private final List<CrcSpec> specs;
    private final Map<String, CrcSpec> byKey;   // upper-case name or alias -> spec

    private CrcCatalogue(List<CrcSpec> specs, Map<String, CrcSpec> byKey) {
        this.specs = List.copyOf(specs);
        this.byKey = Collections.unmodifiableMap(byKey);
    }

    private static final class Holder {
        static final CrcCatalogue INSTANCE = load();
    }

    /** All models in catalogue order (by width, then name). */
    public static List<CrcSpec> all() {
        return Holder.INSTANCE.specs;
    }

    /**
     * The model whose catalogue name or alias equals {@code nameOrAlias}, ignoring case
     * ({@code "crc-32"}, {@code "CRC-32/ISO-HDLC"} and {@code "PKZIP"} give the same spec, named by its
     * catalogue name).
     *
     * @throws IllegalArgumentException if no model has that name, with the closest names as suggestions
     */
    public static CrcSpec byName(String nameOrAlias) {
        if (nameOrAlias == null) {
            throw new IllegalArgumentException("nameOrAlias must not be null");
        }
        CrcSpec spec = Holder.INSTANCE.byKey.get(nameOrAlias.trim().toUpperCase(Locale.ROOT));
        if (spec == null) {
            throw new IllegalArgumentException("nameOrAlias '" + nameOrAlias + "' is not a CRC RevEng catalogue name or alias;"
                    + " closest: " + String.join(", ", closest(nameOrAlias, 3)));
        }
        return spec;
    }

    /** Every name and alias (upper case), mapped to its model. */
    public static Map<String, CrcSpec> namesAndAliases() {
        return Holder.INSTANCE.byKey;
    }

    /** The {@code count} known names or aliases with the smallest edit distance to {@code query}. */
    static List<String> closest(String query, int count) {
        String q = query.trim().toUpperCase(Locale.ROOT);
        return Holder.INSTANCE.byKey.keySet().stream()
                .sorted(Comparator.comparingInt((String k) -> editDistance(q, k)).thenComparing(k -> k))
                .limit(count)
                .toList();
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static CrcCatalogue load() {
        try (InputStream in = CrcCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class path resource io/github/dsw/checksum/" + RESOURCE
                        + " is missing (it is copied from datasets/checksum/ by the algorithms build)");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the catalogue format described in the data file's header.
     *
     * @throws IllegalArgumentException naming {@code source}, the line number and the field at fault
     */
    static CrcCatalogue parse(BufferedReader reader, String source) throws IOException {
        List<CrcSpec> specs = new ArrayList<>();
        Map<String, CrcSpec> byKey = new LinkedHashMap<>();
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String where = source + " line " + lineNumber;
            Map<String, String> fields = new LinkedHashMap<>();
            List<String> aliases = new ArrayList<>();
            Matcher m = FIELD.matcher(text);
            int end = 0;
            while (m.find()) {
                if (!text.substring(end, m.start()).isBlank()) {
                    throw new IllegalArgumentException(where + ": cannot read '" + text.substring(end, m.start()).strip() + "'");
                }
                end = m.end();
                String key = m.group(1);
                String value = m.group(2);
                if (key.equals("alias")) {
                    aliases.add(unquote(value, key, where));
                } else if (fields.put(key, value) != null) {
                    throw new IllegalArgumentException(where + ": field " + key + " appears twice");
                }
            }
            if (!text.substring(end).isBlank()) {
                throw new IllegalArgumentException(where + ": cannot read '" + text.substring(end).strip() + "'");
            }
            CrcSpec spec;
            try {
                spec = new CrcSpec(unquote(required(fields, "name", where), "name", where),
                        (int) number(fields, "width", where), number(fields, "poly", where), number(fields, "init", where),
                        bool(fields, "refin", where), bool(fields, "refout", where), number(fields, "xorout", where),
                        number(fields, "check", where), number(fields, "residue", where));
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(source) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            specs.add(spec);
            for (String key : concat(spec.name(), aliases)) {
                CrcSpec previous = byKey.putIfAbsent(key.toUpperCase(Locale.ROOT), spec);
                if (previous != null) {
                    throw new IllegalArgumentException(where + ": name or alias '" + key + "' already names " + previous.name());
                }
            }
        }
        return new CrcCatalogue(specs, byKey);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String required(Map<String, String> fields, String key, String where) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException(where + ": field " + key + " is missing");
        }
        return value;
    }

    private static long number(Map<String, String> fields, String key, String where) {
        String value = required(fields, key, where);
        try {
            if (key.equals("width")) {
                return Integer.parseInt(value);
            }
            if (!value.startsWith("0x") || value.length() < 3) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(value.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": field " + key + " must be "
                    + (key.equals("width") ? "a decimal integer" : "a hexadecimal number 0x...") + ", got '" + value + "'");
        }
    }

    private static boolean bool(Map<String, String> fields, String key, String where) {
        String value = required(fields, key, where);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(where + ": field " + key + " must be true or false, got '" + value + "'");
        };
    }

    private static String unquote(String value, String key, String where) {
        if (value.length() < 3 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            throw new IllegalArgumentException(where + ": field " + key + " must be a non-empty double-quoted string, got " + value);
        }
        return value.substring(1, value.length() - 1);
    }

    List<CrcSpec> specs() {
        return specs;
    }
}
