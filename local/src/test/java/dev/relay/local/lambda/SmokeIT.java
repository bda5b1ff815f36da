package dev.relay.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void smoke() {
        TestFunctions.RecordingSink sink = new TestFunctions.RecordingSink();
        try (LambdaService service = new LambdaService(LambdaService.Settings.defaults("us-east-1", "123456789012").withLogSink(sink))) {
            service.register(TestFunctions.spec("echo", TestFunctions.ECHO));
            service.register(TestFunctions.spec("probe", TestFunctions.PROBE));
            long t0 = System.nanoTime();
            InvocationResult r = service.invoke("echo", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            long t1 = System.nanoTime();
            InvocationResult r2 = service.invoke("echo", "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
            long t2 = System.nanoTime();
            System.out.println("cold " + (t1 - t0) / 1e6 + " warm " + (t2 - t1) / 1e6);
            System.out.println(r.payloadText() + " " + r.functionError() + " / " + r2.payloadText());
            InvocationResult p = service.invoke("probe", "{\"print\":\"hi there\",\"env\":[\"GREETING\",\"AWS_REGION\",\"HOME\",\"AWS_ACCESS_KEY_ID\"]}".getBytes(StandardCharsets.UTF_8));
            System.out.println(p.payloadText() + " " + p.functionError());
            sink.lines().forEach(System.out::println);
            assertThat(r.succeeded()).isTrue();
        }
    }
}
