package ledger.tax.rules.packs;

import java.io.InputStream;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Assumptions;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The BMF's Programmablaufplan (PAP) for the Lohnsteuer, run as published: its XML pseudo-code (shared/samples,
 * never copied into this repository) is read at test time, each element turned into the Java statement it
 * stands for (the PAP's expressions are Java {@code BigDecimal} code already: {@code EVAL exec} is a statement,
 * {@code IF expr} a condition, {@code EXECUTE} a call of a {@code METHOD}, {@code INPUT}/{@code OUTPUT}/
 * {@code INTERNAL}/{@code CONSTANT} fields with their declared defaults), compiled by the JDK's compiler and
 * run. It is the independent reading the rule packs are compared with: nothing in it comes from our packs.
 * Amounts in and out are in cents, as the PAP has them.
 */
final class PapProgram {

    private final Class<?> type;
    private final String name;

    private PapProgram(Class<?> type, String name) {
        this.type = type;
        this.name = name;
    }

    /** The PAP file {@code shared/samples/tax/de-pap/<file>} above the working directory; the test is skipped, saying why, where it is absent. */
    static Path locate(String file) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/samples/tax/de-pap").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        Assumptions.abort("shared/samples/tax/de-pap/" + file + " not found above " + System.getProperty("user.dir")
                + ": the comparison with the official PAP is skipped");
        return null;
    }

    static PapProgram compile(Path xml, Path workDir) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Assumptions.assumeTrue(compiler != null, "no Java compiler in this runtime (a JRE, not a JDK): PAP not run");
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(in);
        }
        Element pap = doc.getDocumentElement();
        String className = "Pap" + pap.getAttribute("name").replaceAll("\\W", "");
        StringBuilder java = new StringBuilder("import java.math.BigDecimal;\n@SuppressWarnings(\"all\")\npublic class ")
                .append(className).append(" {\n");
        for (String kind : List.of("INPUT", "OUTPUT", "INTERNAL")) {
            for (Element var : elements(pap, kind)) {
                String t = var.getAttribute("type");
                String def = var.getAttribute("default");
                if (def.isEmpty()) {
                    def = switch (t) {
                        case "BigDecimal" -> "BigDecimal.ZERO";
                        case "int" -> "0";
                        case "double" -> "0.0";
                        default -> throw new IllegalStateException("PAP variable type " + t);
                    };
                }
                java.append("  public ").append(t).append(' ').append(var.getAttribute("name")).append(" = ")
                        .append(def).append(";\n");
            }
        }
        for (Element c : elements(pap, "CONSTANT")) {
            java.append("  static final ").append(c.getAttribute("type")).append(' ').append(c.getAttribute("name"))
                    .append(" = ").append(c.getAttribute("value")).append(";\n");
        }
        Element main = elements(pap, "MAIN").get(0);
        java.append("  public void MAIN() {\n");
        statements(main, java, "    ");
        java.append("  }\n");
        for (Element method : elements(pap, "METHOD")) {
            java.append("  void ").append(method.getAttribute("name")).append("() {\n");
            statements(method, java, "    ");
            java.append("  }\n");
        }
        java.append("}\n");

        Path src = workDir.resolve(className + ".java");
        Files.writeString(src, java, StandardCharsets.UTF_8);
        StringWriter diagnostics = new StringWriter();
        boolean ok = compiler.getTask(diagnostics, null, null,
                List.of("-nowarn", "-Xlint:none", "-d", workDir.toString()), null,
                compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src)).call();
        if (!ok) {
            throw new IllegalStateException("the PAP " + xml + " did not compile as Java:\n" + diagnostics);
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {workDir.toUri().toURL()}, PapProgram.class.getClassLoader());
        return new PapProgram(loader.loadClass(className), pap.getAttribute("name"));
    }

    String name() {
        return name;
    }

    /** Runs MAIN on {@code inputs} (PAP names; ints, doubles or BigDecimals in cents) and gives every field afterwards. */
    Map<String, Object> run(Map<String, Object> inputs) {
        try {
            Object program = type.getConstructor().newInstance();
            for (Map.Entry<String, Object> in : inputs.entrySet()) {
                Field field = type.getField(in.getKey());
                field.set(program, in.getValue());
            }
            type.getMethod("MAIN").invoke(program);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Field field : type.getFields()) {
                out.put(field.getName(), field.get(program));
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("running the PAP " + name + " on " + inputs, e);
        }
    }

    static BigDecimal cents(Map<String, Object> result, String name) {
        return (BigDecimal) Optional.ofNullable(result.get(name))
                .orElseThrow(() -> new IllegalStateException("the PAP has no field " + name));
    }

    private static void statements(Element parent, StringBuilder java, String indent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            switch (e.getTagName()) {
                case "EVAL" -> java.append(indent).append(e.getAttribute("exec")).append(";\n");
                case "EXECUTE" -> java.append(indent).append(e.getAttribute("method")).append("();\n");
                case "IF" -> {
                    java.append(indent).append("if (").append(e.getAttribute("expr")).append(") {\n");
                    for (Element branch : children(e)) {
                        if (branch.getTagName().equals("THEN")) {
                            statements(branch, java, indent + "  ");
                        }
                    }
                    java.append(indent).append("} else {\n");
                    for (Element branch : children(e)) {
                        if (branch.getTagName().equals("ELSE")) {
                            statements(branch, java, indent + "  ");
                        }
                    }
                    java.append(indent).append("}\n");
                }
                default -> throw new IllegalStateException("PAP element " + e.getTagName() + " not understood");
            }
        }
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> elements(Element root, String tag) {
        List<Element> out = new java.util.ArrayList<>();
        var list = root.getElementsByTagName(tag);
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }
}
