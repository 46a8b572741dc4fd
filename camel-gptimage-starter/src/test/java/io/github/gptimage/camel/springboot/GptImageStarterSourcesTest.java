package io.github.gptimage.camel.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's properties class and its Spring configuration metadata are generated from the component's metadata
 * (the gptimage.json that camel-package-maven-plugin generates), so that they cannot drift from the component's
 * options: this test renders them and fails when the files in the module differ. After an option of the component
 * changed, regenerate them with
 * {@code mvn -B -q -pl camel-gptimage-starter -am verify -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=GptImageStarterSourcesTest -Dgptimage.regenerate=true}.
 */
class GptImageStarterSourcesTest {

    static final String PREFIX = "camel.component.gptimage";
    static final Path CONFIGURATION_SOURCE =
            Path.of("src/main/java/io/github/gptimage/camel/springboot/GptImageComponentConfiguration.java");
    static final Path METADATA = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");
    private static final String CONFIGURATION_CLASS = "io.github.gptimage.camel.springboot.GptImageComponentConfiguration";

    @Test
    void propertiesClassMatchesTheComponentMetadata() throws IOException {
        checkOrRegenerate(CONFIGURATION_SOURCE, renderConfigurationClass(componentOptions()));
    }

    @Test
    void configurationMetadataMatchesTheComponentMetadata() throws IOException {
        checkOrRegenerate(METADATA, renderMetadata(componentOptions()));
    }

    private static void checkOrRegenerate(Path file, String expected) throws IOException {
        String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        if (!actual.equals(expected) && Boolean.getBoolean("gptimage.regenerate")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual)
                .as(file + " is generated from gptimage.json; regenerate it (-Dgptimage.regenerate=true, see this test's"
                    + " Javadoc)")
                .isEqualTo(expected);
    }

    /** The component options of gptimage.json in index order, {@code configuration} first (it replaces the others). */
    static List<Map.Entry<String, JsonNode>> componentOptions() throws IOException {
        JsonNode json;
        try (InputStream in = GptImageStarterSourcesTest.class.getClassLoader()
                .getResourceAsStream("META-INF/io/github/gptimage/camel/gptimage.json")) {
            assertThat(in).as("gptimage.json of the component on the classpath").isNotNull();
            json = new ObjectMapper().readTree(in);
        }
        List<Map.Entry<String, JsonNode>> options = new ArrayList<>();
        json.get("componentProperties").fields().forEachRemaining(options::add);
        options.sort((a, b) -> Integer.compare(a.getValue().get("index").asInt(), b.getValue().get("index").asInt()));
        options.sort((a, b) -> Boolean.compare(!"configuration".equals(a.getKey()), !"configuration".equals(b.getKey())));
        return options;
    }

    // ---- the properties class ---------------------------------------------------------------------------------

    /** The Java type of an option in the properties class: durations as Duration, beans as references (#name). */
    static String javaType(JsonNode option) {
        String type = option.get("type").asText();
        String javaType = option.get("javaType").asText();
        if ("duration".equals(type)) {
            return "Duration";
        }
        if ("object".equals(type)) {
            return "String";
        }
        return switch (javaType) {
            case "boolean" -> "Boolean";
            case "int" -> "Integer";
            case "long" -> "Long";
            case "double" -> "Double";
            case "java.lang.String" -> "String";
            default -> throw new IllegalArgumentException("No mapping for option type " + type + " / " + javaType);
        };
    }

    static String metadataType(JsonNode option) {
        return switch (javaType(option)) {
            case "Duration" -> "java.time.Duration";
            default -> "java.lang." + javaType(option);
        };
    }

    static String description(JsonNode option) {
        String description = option.get("description").asText();
        if ("object".equals(option.get("type").asText())) {
            description += " The value is a reference to a bean of type " + option.get("javaType").asText()
                           + ": #beanName.";
        }
        return description;
    }

    static String renderConfigurationClass(List<Map.Entry<String, JsonNode>> options) {
        StringBuilder out = new StringBuilder();
        out.append("""
                package io.github.gptimage.camel.springboot;

                import java.time.Duration;
                import java.util.LinkedHashMap;
                import java.util.Map;

                import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
                import org.springframework.boot.context.properties.ConfigurationProperties;

                /**
                 * The options of the gptimage component as Spring Boot properties, camel.component.gptimage.*: set
                 * on the component, an endpoint option is the default of every endpoint. Durations take Spring Boot's
                 * forms (500ms, 10s, 5m; a plain number is milliseconds); an option whose value is a bean takes a
                 * reference to it, #beanName.
                 * <p>
                 * Generated from the component's metadata (gptimage.json) by GptImageStarterSourcesTest: do not edit.
                 */
                @ConfigurationProperties(prefix = "camel.component.gptimage")
                public class GptImageComponentConfiguration extends ComponentConfigurationPropertiesCommon {

                    /**
                     * Which task store the starter gives the component: memory (the component's in-memory store,
                     * the default), or jdbc (the durable JDBC store on the application's DataSource bean, unless
                     * data-source names another one).
                     */
                    private GptImageStoreKind store;
                """);
        for (Map.Entry<String, JsonNode> option : options) {
            out.append('\n');
            javadoc(out, "    ", description(option.getValue()));
            out.append("    private ").append(javaType(option.getValue())).append(' ').append(option.getKey())
                    .append(";\n");
        }
        out.append("""

                    public GptImageStoreKind getStore() {
                        return store;
                    }

                    public void setStore(GptImageStoreKind store) {
                        this.store = store;
                    }
                """);
        for (Map.Entry<String, JsonNode> option : options) {
            String name = option.getKey();
            String type = javaType(option.getValue());
            String accessor = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            out.append('\n')
                    .append("    public ").append(type).append(" get").append(accessor).append("() {\n")
                    .append("        return ").append(name).append(";\n")
                    .append("    }\n\n")
                    .append("    public void set").append(accessor).append('(').append(type).append(' ').append(name)
                    .append(") {\n")
                    .append("        this.").append(name).append(" = ").append(name).append(";\n")
                    .append("    }\n");
        }
        out.append("""

                    /**
                     * The options that are set, under the component's option names, configuration first (it replaces
                     * the endpoint defaults set before it); durations in milliseconds, beans as references.
                     */
                    Map<String, Object> componentOptions() {
                        Map<String, Object> options = new LinkedHashMap<>();
                """);
        for (Map.Entry<String, JsonNode> option : options) {
            String name = option.getKey();
            String value = "Duration".equals(javaType(option.getValue())) ? "millis(" + name + ")" : name;
            out.append("        put(options, \"").append(name).append("\", ").append(value).append(");\n");
        }
        out.append("""
                        return options;
                    }

                    private static void put(Map<String, Object> options, String name, Object value) {
                        if (value != null) {
                            options.put(name, value);
                        }
                    }

                    private static Long millis(Duration duration) {
                        return duration != null ? duration.toMillis() : null;
                    }
                }
                """);
        return out.toString();
    }

    private static void javadoc(StringBuilder out, String indent, String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("*/", "*&#47;").replace("@", "&#64;");
        out.append(indent).append("/**\n");
        StringBuilder line = new StringBuilder();
        for (String word : escaped.split(" ")) {
            if (line.length() > 0 && indent.length() + 3 + line.length() + 1 + word.length() > 120) {
                out.append(indent).append(" * ").append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        out.append(indent).append(" * ").append(line).append('\n');
        out.append(indent).append(" */\n");
    }

    // ---- the configuration metadata -----------------------------------------------------------------------------

    /** An option name as Spring Boot binds it: nVariants becomes n-variants. */
    static String dashed(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c) && out.length() > 0) {
                out.append('-');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /** A default as Spring Boot would write it: a duration in its largest whole unit. */
    static String defaultValue(JsonNode option) {
        String value = option.get("defaultValue").asText();
        if (!"duration".equals(option.get("type").asText())) {
            return value;
        }
        long millis = Long.parseLong(value);
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }

    static String renderMetadata(List<Map.Entry<String, JsonNode>> options) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode properties = root.putArray("properties");
        ArrayNode hints = root.putArray("hints");
        ObjectNode store = properties.addObject();
        store.put("name", PREFIX + ".store");
        store.put("type", GptImageStoreKind.class.getName());
        store.put("description", "Which task store the starter gives the component: memory (the component's"
                                 + " in-memory store, the default), or jdbc (the durable JDBC store on the application's"
                                 + " DataSource bean, unless data-source names another one).");
        store.put("sourceType", CONFIGURATION_CLASS);
        for (Map.Entry<String, JsonNode> entry : options) {
            JsonNode option = entry.getValue();
            ObjectNode property = properties.addObject();
            property.put("name", PREFIX + "." + dashed(entry.getKey()));
            property.put("type", metadataType(option));
            property.put("description", description(option));
            property.put("sourceType", CONFIGURATION_CLASS);
            if (option.has("defaultValue")) {
                JsonNode value = option.get("defaultValue");
                if (value.isBoolean()) {
                    property.put("defaultValue", value.asBoolean());
                } else if (value.isNumber()) {
                    property.put("defaultValue", value.asLong());
                } else {
                    property.put("defaultValue", defaultValue(option));
                }
            }
            if (option.has("enum")) {
                ObjectNode hint = hints.addObject();
                hint.put("name", PREFIX + "." + dashed(entry.getKey()));
                ArrayNode values = hint.putArray("values");
                option.get("enum").forEach(value -> values.addObject().put("value", value.asText()));
            }
        }
        return mapper.writeValueAsString(root).replace("\r\n", "\n") + "\n";
    }
}
