package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The deployable template and the built jars agree: every function's handler class is in its jar. */
class TemplateHandlersIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyHandlerInTheTemplateExistsInTheJarItsCodeUriBuilds() throws IOException {
        Map<String, Object> resources = resources();
        List<String> checked = new ArrayList<>();
        for (var entry : resources.entrySet()) {
            Map<?, ?> resource = (Map<?, ?>) entry.getValue();
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                continue;
            }
            Map<?, ?> properties = (Map<?, ?>) resource.get("Properties");
            String codeUri = (String) properties.get("CodeUri");
            String handler = (String) properties.get("Handler");
            assertThat(codeUri).as(entry.getKey() + ".CodeUri").isNotBlank();
            Path jar = ROOT.resolve(codeUri).resolve("target/function.jar");
            assertThat(jar).as(entry.getKey() + " deployment jar").exists();
            String className = handler.split("::", 2)[0];
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getEntry(className.replace('.', '/') + ".class"))
                        .as(entry.getKey() + " handler " + className + " in " + jar).isNotNull();
                assertThat(file.getEntry("software/amazon/awssdk/http/apache/ApacheHttpClient.class"))
                        .as(entry.getKey() + " ships no apache-client").isNull();
                assertThat(file.getEntry("software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class"))
                        .as(entry.getKey() + " ships no netty-nio-client").isNull();
            }
            checked.add(entry.getKey());
        }
        assertThat(checked).as("functions in template.yaml").isNotEmpty();
    }

    @Test
    void globalsDeclareTheJava25Runtime() throws IOException {
        Map<?, ?> globals = (Map<?, ?>) ((Map<?, ?>) yaml().get("Globals")).get("Function");
        assertThat(globals.get("Runtime")).isEqualTo("java25");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resources() throws IOException {
        return (Map<String, Object>) yaml().get("Resources");
    }

    private static Map<?, ?> yaml() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("template.yaml"))) {
            return new Yaml(new ShortTagsAsValues()).load(reader);
        }
    }

    /** CloudFormation short tags (!Ref, !GetAtt, ...) read as their plain values: enough to find handlers. */
    private static final class ShortTagsAsValues extends SafeConstructor {
        ShortTagsAsValues() {
            super(new LoaderOptions());
            for (String tag : List.of("Ref", "GetAtt", "Sub", "Join", "If", "Not", "Equals", "Select", "Split",
                    "FindInMap", "Base64", "And", "Or", "Condition", "ImportValue", "GetAZs")) {
                yamlConstructors.put(new org.yaml.snakeyaml.nodes.Tag("!" + tag), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        return switch (node) {
                            case ScalarNode scalar -> constructScalar(scalar);
                            case SequenceNode sequence -> constructSequence(sequence);
                            default -> constructMapping((org.yaml.snakeyaml.nodes.MappingNode) node);
                        };
                    }
                });
            }
        }
    }
}
