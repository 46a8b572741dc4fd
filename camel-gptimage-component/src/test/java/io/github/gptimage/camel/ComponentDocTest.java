package io.github.gptimage.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component's documentation page, src/main/docs/gptimage-component.adoc, in Camel's format: its header and its
 * option and header tables are rendered from the generated component JSON, so that the page cannot drift from the
 * component. This test renders them and fails when the page differs; after an option, header or description changed,
 * rewrite the generated parts with
 * {@code mvn -B -q -pl camel-gptimage-component verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ComponentDocTest
 * -Dgptimage.regenerate=true}.
 * <p>
 * The block between {@code // component options: START} and {@code END} belongs to camel-package-maven-plugin, which
 * rewrites it on every build with the includes of the partials Camel's site renders from the same JSON (and the
 * header likewise); outside that site the page shows the tables this test keeps between its own markers.
 */
class ComponentDocTest {

    static final Path DOC = Path.of("src/main/docs/gptimage-component.adoc");
    static final Path JSON = Path.of("src/generated/resources/META-INF/io/github/gptimage/camel/gptimage.json");

    private static JsonNode metadata;

    @BeforeAll
    static void load() throws IOException {
        metadata = new ObjectMapper().readTree(JSON.toFile());
    }

    @Test
    void headerIsTheOneCamelsPluginWrites() throws IOException {
        JsonNode component = metadata.get("component");
        String firstVersion = component.get("firstVersion").asText();
        String expected = String.join("\n",
                "= " + component.get("title").asText() + " Component",
                ":doctitle: " + component.get("title").asText(),
                ":shortname: " + component.get("scheme").asText(),
                ":artifactid: " + component.get("artifactId").asText(),
                ":description: " + component.get("description").asText(),
                ":since: " + firstVersion.substring(0, firstVersion.lastIndexOf('.')),
                ":supportlevel: " + component.get("supportLevel").asText(),
                ":tabs-sync-option:",
                ":component-header: Both producer and consumer are supported",
                "");
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(doc.substring(0, doc.indexOf("\n\n") + 1)).isEqualTo(expected);
        // the two lines the plugin requires
        assertThat(doc).contains("*{component-header}*", "*Since Camel {since}*");
    }

    @Test
    void pluginBlockIncludesCamelsPartials() throws IOException {
        assertThat(block(Files.readString(DOC, StandardCharsets.UTF_8), "component options")).isEqualTo("""
                include::partial$component-configure-options.adoc[]
                include::partial$component-endpoint-options.adoc[]
                include::partial$component-endpoint-headers.adoc[]""");
    }

    @Test
    void tablesMatchTheComponentJson() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String expected = doc;
        expected = replaceBlock(expected, "component configure options", componentOptionsTable());
        expected = replaceBlock(expected, "endpoint options", endpointOptionsTables());
        expected = replaceBlock(expected, "component headers", headersTable());
        if (!expected.equals(doc) && Boolean.getBoolean("gptimage.regenerate")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
            return;
        }
        assertThat(doc).as(DOC + ": the tables are generated from gptimage.json; rewrite them with"
                            + " -Dgptimage.regenerate=true (see this test's Javadoc)")
                .isEqualTo(expected);
    }

    // ---- blocks -------------------------------------------------------------------------------------------------

    private static String block(String doc, String name) {
        int start = doc.indexOf(start(name));
        int end = doc.indexOf(end(name));
        assertThat(start).as(DOC + " has the marker " + start(name)).isNotNegative();
        assertThat(end).as(DOC + " has the marker " + end(name)).isGreaterThan(start);
        return doc.substring(start + start(name).length(), end).trim();
    }

    private static String replaceBlock(String doc, String name, String content) {
        block(doc, name);
        int start = doc.indexOf(start(name)) + start(name).length();
        int end = doc.indexOf(end(name));
        return doc.substring(0, start) + "\n" + content.trim() + "\n" + doc.substring(end);
    }

    private static String start(String name) {
        return "// " + name + ": START";
    }

    private static String end(String name) {
        return "// " + name + ": END";
    }

    // ---- tables -------------------------------------------------------------------------------------------------

    private static String title() {
        return metadata.at("/component/title").asText();
    }

    static String componentOptionsTable() {
        List<JsonNode> options = sorted(metadata.get("componentProperties"));
        return "=== Component Options\n\n"
               + "The " + title() + " component supports " + options.size() + " options, which are listed below"
               + " (Spring Boot: camel.component.gptimage.<option in dashed form>).\n\n"
               + optionsTable(options);
    }

    static String endpointOptionsTables() {
        List<JsonNode> all = sorted(metadata.get("properties"));
        List<JsonNode> path = all.stream().filter(o -> "path".equals(o.get("kind").asText())).toList();
        List<JsonNode> query = all.stream().filter(o -> !"path".equals(o.get("kind").asText())).toList();
        return "=== Endpoint Options\n\n"
               + "The " + title() + " endpoint is configured using URI syntax:\n\n"
               + "----\n" + metadata.at("/component/syntax").asText() + "\n----\n\n"
               + "with the following path and query parameters:\n\n"
               + "==== Path Parameters (" + count(path.size(), "parameter") + ")\n\n" + optionsTable(path) + "\n"
               + "==== Query Parameters (" + count(query.size(), "parameter") + ")\n\n" + optionsTable(query);
    }

    static String headersTable() {
        List<JsonNode> headers = sorted(metadata.get("headers"));
        StringBuilder out = new StringBuilder("=== Message Headers\n\n")
                .append("The ").append(title()).append(" component supports ").append(headers.size())
                .append(" message headers, which are listed below (constants in GptImageConstants).\n\n")
                .append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n")
                .append("| Name | Description | Default | Type\n");
        for (JsonNode header : headers) {
            String constant = header.path("constantName").asText();
            out.append("| *").append(cell(header.get("name").asText())).append("* (")
                    .append(group(header)).append(")");
            if (!constant.isEmpty()) {
                out.append("\n\nConstant: `").append(constant.substring(constant.lastIndexOf('.') + 1).replace('#', '.'))
                        .append('`');
            }
            out.append(" | ").append(description(header)).append(" | ").append(cell(defaultValue(header)))
                    .append(" | ").append(cell(simpleType(header.get("javaType").asText()))).append('\n');
        }
        return out.append("|===\n").toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String optionsTable(List<JsonNode> options) {
        StringBuilder out = new StringBuilder("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n")
                .append("| Name | Description | Default | Type\n");
        for (JsonNode option : options) {
            out.append("| *").append(cell(option.get("name").asText())).append("* (").append(group(option))
                    .append(") | ").append(description(option)).append(" | ").append(cell(defaultValue(option)))
                    .append(" | ").append(cell(type(option))).append('\n');
        }
        return out.append("|===\n").toString();
    }

    /** The entries of a JSON section in index order, each with its name added. */
    private static List<JsonNode> sorted(JsonNode section) {
        List<JsonNode> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) section::fields) {
            entries.add(((com.fasterxml.jackson.databind.node.ObjectNode) entry.getValue().deepCopy())
                    .put("name", entry.getKey()));
        }
        entries.sort((a, b) -> Integer.compare(a.get("index").asInt(), b.get("index").asInt()));
        return entries;
    }

    private static String group(JsonNode option) {
        return option.path("group").asText("common");
    }

    private static String description(JsonNode option) {
        StringBuilder out = new StringBuilder();
        if (option.path("required").asBoolean()) {
            out.append("*Required* ");
        }
        if (option.path("deprecated").asBoolean()) {
            out.append("*Deprecated* ");
        }
        out.append(cell(option.get("description").asText()));
        if (option.has("enum")) {
            List<String> values = new ArrayList<>();
            option.get("enum").forEach(value -> values.add(value.asText()));
            out.append(" Enum values: ").append(cell(String.join(", ", values))).append('.');
        }
        if (option.path("secret").asBoolean()) {
            out.append(" Secret: masked in logged endpoint URIs.");
        }
        return out.toString();
    }

    private static String defaultValue(JsonNode option) {
        JsonNode value = option.get("defaultValue");
        if (value == null) {
            return "";
        }
        String text = value.asText();
        if ("duration".equals(option.path("type").asText())) {
            return text + " ms";
        }
        return text;
    }

    private static String type(JsonNode option) {
        String type = option.get("type").asText();
        if ("duration".equals(type)) {
            return "Duration";
        }
        return simpleType(option.get("javaType").asText());
    }

    /** java.util.Map<java.lang.String, java.lang.Object> becomes Map<String, Object>. */
    static String simpleType(String javaType) {
        return javaType.replaceAll("([a-z][a-z0-9_]*\\.)+", "");
    }

    /** Text safe in an AsciiDoc table cell: no cell separators, no attribute references ({name}). */
    static String cell(String text) {
        return text.replace("|", "\\|").replaceAll("\\{([A-Za-z0-9_][A-Za-z0-9_-]*)}", "\\\\{$1}");
    }
}
