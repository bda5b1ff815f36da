package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The deployable template and the built jars agree: every function's handler class is in its jar. */
class TemplateHandlersIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Template template() throws TemplateException {
        return Template.load(ROOT.resolve("template.yaml"), StackContext.of("relay", "us-east-1", "000000000000"));
    }

    @Test
    void everyHandlerInTheTemplateExistsInTheJarItsCodeUriBuilds() throws IOException, TemplateException {
        List<Resource> functions = template().resourcesOfType("AWS::Serverless::Function");
        assertThat(functions).as("functions in template.yaml").isNotEmpty();
        for (Resource function : functions) {
            String codeUri = (String) function.property("CodeUri").orElseThrow();
            String handler = (String) function.property("Handler").orElseThrow();
            assertThat(function.property("Runtime")).as(function.logicalId() + ".Runtime (from Globals)").contains("java25");
            Path jar = ROOT.resolve(codeUri).resolve("target/function.jar");
            assertThat(jar).as(function.logicalId() + " deployment jar").exists();
            String className = handler.split("::", 2)[0];
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getEntry(className.replace('.', '/') + ".class"))
                        .as(function.logicalId() + " handler " + className + " in " + jar).isNotNull();
                assertThat(file.getEntry("software/amazon/awssdk/http/apache/ApacheHttpClient.class"))
                        .as(function.logicalId() + " ships no apache-client").isNull();
                assertThat(file.getEntry("software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class"))
                        .as(function.logicalId() + " ships no netty-nio-client").isNull();
            }
        }
    }

    @Test
    void theTemplateLoadsAndSaysWhatIsNotEmulated() throws TemplateException {
        Template template = template();

        assertThat(template.notEmulated()).extracting(n -> n.type())
                .contains("AWS::KMS::Key", "AWS::SQS::QueuePolicy", "AWS::CloudWatch::Alarm");
        assertThat(template.resourcesOfType(ResourceTypes.SQS_QUEUE)).isNotEmpty();
        Resource queue = template.resource("OpsQueue").orElseThrow();
        assertThat(queue.property("RedrivePolicy.deadLetterTargetArn"))
                .contains(template.resource("OpsDLQ").orElseThrow().attribute("Arn").orElseThrow());
    }
}
