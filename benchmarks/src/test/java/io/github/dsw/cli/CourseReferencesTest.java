package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course cannot drift from the code: every reference that {@code course/*.md}, {@code README.md},
 * {@code datasets/README.md} and the markdown cells of {@code notebooks/*.ipynb} make to the repository
 * must still hold.
 *
 * <ul>
 *   <li>A relative link {@code [text](path#anchor)} must name an existing file or folder, relative to the
 *       markdown file; a heading anchor into a markdown file must name one of its headings (GitHub's slug).
 *       Links to other schemes ({@code https:}) and line anchors ({@code #L12}) are not checked.
 *   <li>An inline-code reference {@code `Type.member`}, {@code `Type#member`} or {@code `Type.member(...)`},
 *       where {@code Type} is declared somewhere in {@code *}{@code /src/**}{@code /*.java}, must name a
 *       method, field, record component, enum constant or nested type that {@code Type} (or a supertype
 *       declared in the repository) declares. Chains such as {@code `Outer.Nested.member`} are followed.
 *       Where a simple name is declared in several files, any of them will do.
 *   <li>Inline code linked to a {@code .java} file, {@code [`Type`](File.java)} or
 *       {@code [`Type.member`](File.java)}, must name a type declared in that very file.
 * </ul>
 *
 * <p>Types the repository does not declare ({@code ReentrantLock.lock}, {@code Hashing.consistentHash}) are
 * skipped and counted. The check reads source text, not bytecode: comments and string literals are blanked,
 * a type's body is cut out by matching braces, and only declarations at the top level of that body count,
 * so a local variable or a nested type's method does not pass for a member. Every broken reference is
 * reported at once, as {@code file:line: reference — reason}.
 */
class CourseReferencesTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyLinkAndCodeReferenceInTheCourseResolves() throws IOException {
        Checker checker = new Checker(ROOT, JavaIndex.scan(ROOT));
        List<String> broken = new ArrayList<>();
        for (Path doc : documents(ROOT)) {
            broken.addAll(checker.checkDocument(doc));
        }
        System.out.println(checker.summary());
        assertTrue(broken.isEmpty(), broken.size() + " broken course references:\n" + String.join("\n", broken));
    }

    @Test
    void aBrokenLinkAndAMissingMemberAreReportedAndCorrectReferencesAreNot(@TempDir Path root) throws IOException {
        Path source = root.resolve("algorithms/src/main/java/p/Ring.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
            package p;
            /** A ring: the class Ghost in this comment is not a declaration, nor is "int phantom(" a method. */
            public final class Ring extends Base {
                private final int size = 3;
                public int bucket(long key) { int local = 1; return local; }
                public record Node(String name, int weight) {
                    void visit() {}
                }
                enum Colour { RED, BLACK(2); Colour() {} Colour(int x) {} }
            }
            abstract class Base { abstract void inherited(); }
            """);
        Path doc = root.resolve("course/01-ring.md");
        Files.createDirectories(doc.getParent());
        String markdown = """
            # Rings and nodes

            [`Ring`](../algorithms/src/main/java/p/Ring.java) hashes with `Ring.bucket(key)`,
            `Ring#size`, `Ring.Node.weight`, `Ring.Colour.BLACK` and `Ring.inherited`; see
            [the heading](#rings-and-nodes) and `ReentrantLock.lock`, which is not ours.
            A broken link: [gone](../algorithms/src/main/java/p/Gone.java).
            A missing member: `Ring.rotate`. A local variable is no member: `Ring.local`.
            A nested type's method is not the outer type's: `Ring.visit`. Nor is a comment: `Ghost.x`.
            Linked to the wrong file: [`Node`](../course/01-ring.md) is fine (not Java), but
            [`Base.inherited`](../algorithms/src/main/java/p/Other.java) and a bad anchor [h](#no-such-heading) are not.
            """;
        Files.writeString(doc, markdown);

        Checker checker = new Checker(root, JavaIndex.scan(root));
        List<String> broken = checker.checkDocument(doc);

        assertEquals(List.of(
            "course/01-ring.md:6: [gone](../algorithms/src/main/java/p/Gone.java) — no such file algorithms/src/main/java/p/Gone.java",
            "course/01-ring.md:7: `Ring.rotate` — no member rotate in Ring (algorithms/src/main/java/p/Ring.java)",
            "course/01-ring.md:7: `Ring.local` — no member local in Ring (algorithms/src/main/java/p/Ring.java)",
            "course/01-ring.md:8: `Ring.visit` — no member visit in Ring (algorithms/src/main/java/p/Ring.java)",
            "course/01-ring.md:10: [`Base.inherited`](../algorithms/src/main/java/p/Other.java) — no such file algorithms/src/main/java/p/Other.java",
            "course/01-ring.md:10: [h](#no-such-heading) — no heading #no-such-heading in course/01-ring.md",
            "course/01-ring.md:10: `Base.inherited` — Base is not declared in the linked file algorithms/src/main/java/p/Other.java"),
            broken);
        assertEquals(2, checker.skipped.size(), "Ghost.x and ReentrantLock.lock are not the repository's: " + checker.skipped);
    }

    /** The markdown the course consists of: the chapters, the two READMEs and the notebooks. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(root.resolve("README.md"));
        docs.add(root.resolve("datasets/README.md"));
        for (String dir : new String[] {"course", "notebooks"}) {
            try (Stream<Path> files = Files.list(root.resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".ipynb")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    /** One type declaration: its kind, simple name, file, header (up to its '{') and its body's top level. */
    record TypeDecl(String kind, String name, String file, String header, String topLevel) {

        private static final Pattern SUPERTYPES = Pattern.compile("\\b(?:extends|implements)\\b(.*?)(?=\\bimplements\\b|\\bpermits\\b|$)", Pattern.DOTALL);

        /** Simple names after {@code extends} and {@code implements}, type arguments dropped. */
        List<String> supertypes() {
            List<String> names = new ArrayList<>();
            Matcher m = SUPERTYPES.matcher(withoutTypeArguments(header));
            while (m.find()) {
                for (String part : m.group(1).split(",")) {
                    String[] qualified = part.trim().split("\\.");
                    String simple = qualified[qualified.length - 1].trim();
                    if (simple.matches("[A-Z][\\w$]*")) names.add(simple);
                }
            }
            return names;
        }

        /** Whether this type's own top level declares {@code member} (supertypes are the index's job). */
        boolean declaresDirectly(String member) {
            String m = Pattern.quote(member);
            if (Pattern.compile("(?<![.\\w])(?:class|record|interface|enum)\\s+" + m + "\\b").matcher(topLevel).find()) return true;
            if (Pattern.compile("[\\w$>\\]]\\s+" + m + "\\s*[(=;,]").matcher(topLevel).find()) return true;
            if (kind.equals("record")) {
                int open = header.indexOf('(');
                if (open >= 0 && Pattern.compile("[\\w$>\\]]\\s+" + m + "\\s*[,)]").matcher(header.substring(open)).find()) return true;
            }
            return kind.equals("enum") && enumConstants().contains(member);
        }

        private List<String> enumConstants() {
            String section = topLevel;
            int semicolon = section.indexOf(';');
            if (semicolon >= 0) section = section.substring(0, semicolon);
            String previous;
            do {
                previous = section;
                section = section.replaceAll("\\([^()]*\\)", "");
            } while (!section.equals(previous));
            List<String> constants = new ArrayList<>();
            for (String part : section.split(",")) {
                String constant = part.replaceAll("@[\\w.]+", "").trim();
                if (!constant.isEmpty()) constants.add(constant);
            }
            return constants;
        }

        private static String withoutTypeArguments(String text) {
            String previous;
            do {
                previous = text;
                text = text.replaceAll("<[^<>]*>", "");
            } while (!text.equals(previous));
            return text;
        }
    }

    /** Every type declared in {@code *}{@code /src/**}{@code /*.java} under the root, by simple name. */
    static final class JavaIndex {

        private static final Pattern DECLARATION = Pattern.compile("(?<![.\\w$])(class|record|interface|enum)\\s+([A-Z][\\w$]*)");

        final Map<String, List<TypeDecl>> byName = new HashMap<>();

        static JavaIndex scan(Path root) throws IOException {
            JavaIndex index = new JavaIndex();
            List<Path> sources = new ArrayList<>();
            try (Stream<Path> modules = Files.list(root)) {
                for (Path src : modules.map(m -> m.resolve("src")).filter(Files::isDirectory).toList()) {
                    try (Stream<Path> files = Files.walk(src)) {
                        files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                    }
                }
            }
            for (Path source : sources) {
                index.add(root.relativize(source).toString().replace('\\', '/'), Files.readString(source));
            }
            return index;
        }

        void add(String file, String source) {
            String code = blankCommentsAndLiterals(source);
            Matcher m = DECLARATION.matcher(code);
            while (m.find()) {
                int open = code.indexOf('{', m.end());
                if (open < 0) continue;
                TypeDecl decl = new TypeDecl(m.group(1), m.group(2), file, code.substring(m.start(), open), topLevel(code, open));
                byName.computeIfAbsent(decl.name(), k -> new ArrayList<>()).add(decl);
            }
        }

        List<TypeDecl> named(String name) {
            return byName.getOrDefault(name, List.of());
        }

        /** Whether {@code type} or one of its supertypes declared in the repository declares {@code member}. */
        boolean declares(TypeDecl type, String member, Set<TypeDecl> seen) {
            if (!seen.add(type)) return false;
            if (type.declaresDirectly(member)) return true;
            for (String supertype : type.supertypes()) {
                for (TypeDecl decl : named(supertype)) {
                    if (declares(decl, member, seen)) return true;
                }
            }
            return false;
        }

        /** The text of the body opened at {@code open}, with everything nested inside a further '{' blanked. */
        private static String topLevel(String code, int open) {
            StringBuilder top = new StringBuilder();
            int depth = 0;
            for (int i = open; i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == '{') depth++;
                if (c == '}' && --depth == 0) break;
                top.append(depth == 1 && c != '{' || c == '\n' ? c : ' ');
            }
            return top.toString();
        }

        /** Comments, string, text-block and char literals replaced by spaces; line breaks kept. */
        static String blankCommentsAndLiterals(String source) {
            StringBuilder out = new StringBuilder(source.length());
            int i = 0;
            while (i < source.length()) {
                int end;
                if (source.startsWith("//", i)) {
                    end = source.indexOf('\n', i);
                    end = end < 0 ? source.length() : end;
                } else if (source.startsWith("/*", i)) {
                    end = source.indexOf("*/", i + 2);
                    end = end < 0 ? source.length() : end + 2;
                } else if (source.startsWith("\"\"\"", i)) {
                    end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? source.length() : end + 3;
                } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                    char quote = source.charAt(i);
                    end = i + 1;
                    while (end < source.length() && source.charAt(end) != quote && source.charAt(end) != '\n') {
                        end += source.charAt(end) == '\\' ? 2 : 1;
                    }
                    end = Math.min(end + 1, source.length());
                } else {
                    out.append(source.charAt(i++));
                    continue;
                }
                for (int j = i; j < end; j++) out.append(source.charAt(j) == '\n' ? '\n' : ' ');
                i = end;
            }
            return out.toString();
        }
    }

    /** Checks the links and code references of markdown documents against the files and the Java index. */
    static final class Checker {

        private static final Pattern FENCE = Pattern.compile("(?m)^\\s*```.*?^\\s*```[^\\n]*$", Pattern.DOTALL);
        private static final Pattern LINK = Pattern.compile("\\[([^\\[\\]]*+(?:\\[[^\\[\\]]*+\\][^\\[\\]]*+)*+)\\]\\(([^()\\s]+)(?:\\s+\"[^\"]*\")?\\)");
        private static final Pattern CODE = Pattern.compile("`([^`]+)`");
        /** {@code pkg.Type.member(args)}: optional package, the type, then {@code .} or {@code #} members. */
        private static final Pattern REFERENCE = Pattern.compile(
            "(?:[a-z_][\\w]*\\.)*([A-Z][\\w$]*)((?:[.#][A-Za-z_$][\\w$]*)*)(?:\\(.*\\))?");
        private static final Pattern FILE_NAME = Pattern.compile(".*\\.(md|java|scala|go|rs|c|h|cc|cpp|py|txt|json|tsv|csv|ipynb|png|xml|yml|yaml|sh|jar)");
        private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");

        private final Path root;
        private final JavaIndex index;
        int links;
        int anchors;
        int members;
        int linkedTypes;
        final Map<String, Integer> skipped = new TreeMap<>();

        Checker(Path root, JavaIndex index) {
            this.root = root;
            this.index = index;
        }

        String summary() {
            return "course references: " + links + " links (" + anchors + " heading anchors), " + members
                + " member references, " + linkedTypes + " linked type names checked; " + skipped.values().stream().mapToInt(i -> i).sum()
                + " references to types outside the repository skipped (" + skipped.size() + " distinct, e.g. "
                + skipped.keySet().stream().limit(12).toList() + ")";
        }

        /** Every broken reference of one {@code .md} or {@code .ipynb} file. */
        List<String> checkDocument(Path doc) throws IOException {
            String name = root.relativize(doc).toString().replace('\\', '/');
            if (!name.endsWith(".ipynb")) return check(name, doc.getParent(), Files.readString(doc));
            List<String> broken = new ArrayList<>();
            JsonNode cells = new ObjectMapper().readTree(doc.toFile()).path("cells");
            for (int c = 0; c < cells.size(); c++) {
                JsonNode cell = cells.get(c);
                if (!cell.path("cell_type").asText().equals("markdown")) continue;
                JsonNode source = cell.path("source");
                StringBuilder text = new StringBuilder();
                if (source.isArray()) source.forEach(line -> text.append(line.asText()));
                else text.append(source.asText());
                broken.addAll(check(name + ":cell " + (c + 1), doc.getParent(), text.toString()));
            }
            return broken;
        }

        /** Every broken reference of {@code markdown}, whose links are relative to {@code dir}. */
        List<String> check(String name, Path dir, String markdown) {
            String text = blankFences(markdown);
            List<String> broken = new ArrayList<>();
            Map<Integer, Path> linkedJava = new HashMap<>();
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String where = name + ":" + line(text, link.start()) + ": " + link.group().replace('\n', ' ') + " — ";
                Path target = checkLink(where, name, dir, markdown, link.group(2), broken);
                Matcher code = CODE.matcher(link.group(1));
                if (target != null && target.toString().endsWith(".java") && code.matches()) {
                    linkedJava.put(link.start(1) + 1, target);
                }
            }
            Matcher code = CODE.matcher(text);
            while (code.find()) {
                String where = name + ":" + line(text, code.start()) + ": " + code.group() + " — ";
                checkCode(where, code.group(1).replaceAll("\\s+", " ").trim(), linkedJava.get(code.start(1)), broken);
            }
            broken.sort(Comparator.comparingInt(b -> Integer.parseInt(b.substring(name.length() + 1, b.indexOf(':', name.length() + 1)))));
            return broken;
        }

        /** Checks one link target; returns the file it names (existing or not) when it is a repository path. */
        private Path checkLink(String where, String name, Path dir, String markdown, String target, List<String> broken) {
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return null;
            links++;
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? "" : target.substring(hash + 1);
            Path file = path.isEmpty() ? null : (path.startsWith("/") ? root.resolve(path.substring(1)) : dir.resolve(path)).normalize();
            if (file != null && !Files.exists(file)) {
                broken.add(where + "no such file " + root.relativize(file).toString().replace('\\', '/'));
                return file;
            }
            if (!anchor.isEmpty() && !anchor.matches("L\\d+(-L\\d+)?")) {
                String headingsOf;
                try {
                    headingsOf = file == null ? markdown : file.toString().endsWith(".md") ? Files.readString(file) : null;
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + file, e);
                }
                if (headingsOf != null) {
                    anchors++;
                    if (!slugs(headingsOf).contains(anchor)) {
                        broken.add(where + "no heading #" + anchor + " in " + (file == null ? name.replaceFirst(":cell \\d+$", "")
                            : root.relativize(file).toString().replace('\\', '/')));
                    }
                }
            }
            return file;
        }

        /** Checks one inline-code span; {@code linked} is the Java file it links to, if any. */
        private void checkCode(String where, String code, Path linked, List<String> broken) {
            Matcher ref = REFERENCE.matcher(code);
            if (!ref.matches() || FILE_NAME.matcher(code).matches()) return;
            String type = ref.group(1);
            List<String> chain = ref.group(2).isEmpty() ? List.of() : List.of(ref.group(2).substring(1).split("[.#]"));
            List<TypeDecl> candidates = index.named(type);
            if (linked != null) {
                String file = root.relativize(linked).toString().replace('\\', '/');
                candidates = candidates.stream().filter(d -> d.file().equals(file)).toList();
                if (candidates.isEmpty()) {
                    broken.add(where + type + " is not declared in the linked file " + file);
                    return;
                }
                if (chain.isEmpty()) linkedTypes++;
            } else if (candidates.isEmpty()) {
                if (!chain.isEmpty()) skipped.merge(type + "." + chain.get(0), 1, Integer::sum);
                return;
            }
            if (chain.isEmpty()) return;
            members++;
            String owner = type;
            for (String member : chain) {
                List<TypeDecl> owners = candidates;
                if (owners.stream().noneMatch(d -> index.declares(d, member, new HashSet<>()))) {
                    broken.add(where + "no member " + member + " in " + owner + " ("
                        + String.join(", ", owners.stream().map(TypeDecl::file).distinct().toList()) + ")");
                    return;
                }
                Set<String> files = new HashSet<>(owners.stream().map(TypeDecl::file).toList());
                candidates = index.named(member).stream().filter(d -> files.contains(d.file())).toList();
                if (candidates.isEmpty()) return; // a method or field: what follows is about its value, not checked
                owner = member;
            }
        }

        private static String blankFences(String markdown) {
            StringBuilder out = new StringBuilder(markdown);
            Matcher fence = FENCE.matcher(markdown);
            while (fence.find()) {
                for (int i = fence.start(); i < fence.end(); i++) {
                    if (out.charAt(i) != '\n') out.setCharAt(i, ' ');
                }
            }
            return out.toString();
        }

        /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
        static Set<String> slugs(String markdown) {
            Set<String> slugs = new HashSet<>();
            Map<String, Integer> seen = new LinkedHashMap<>();
            Matcher heading = HEADING.matcher(blankFences(markdown));
            while (heading.find()) {
                String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum);
                slugs.add(n == 1 ? slug : slug + "-" + (n - 1));
            }
            return slugs;
        }

        private static int line(String text, int offset) {
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (text.charAt(i) == '\n') line++;
            }
            return line;
        }
    }
}
