package dev.relay.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.core.Json;
import dev.relay.ops.IncidentTriager.Severity;
import dev.relay.ops.IncidentTriager.Triage;
import org.junit.jupiter.api.Test;

/**
 * How the model's raw answers are read (with the mapper the gateway uses): an answer outside the schema is
 * refused with the field named, never guessed. The offline model always answers inside the schema, so these
 * answers are written out here.
 */
class ModelAnswerTest {

    @Test
    void severityIsReadByNameWhateverItsCase() throws JsonProcessingException {
        Triage triage = Json.MAPPER.readValue("""
                {"severity":"sev1","likelyCause":"db pool exhausted","nextSteps":["roll back"],"summary":"checkout down"}""",
                Triage.class);

        assertThat(triage.severity()).isEqualTo(Severity.SEV1);
        assertThat(triage.severity().level()).isEqualTo(1);
    }

    @Test
    void numericSeverityIsRefusedRatherThanReadAsAnOrdinal() {
        // Plain Jackson would read 1 as ordinal 1, i.e. SEV2: a SEV1 outage that pages nobody.
        assertThatThrownBy(() -> Json.MAPPER.readValue("""
                {"severity":1,"likelyCause":"x","nextSteps":[],"summary":"x"}""", Triage.class))
                .isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("severity: '1' is not one of SEV1, SEV2, SEV3, SEV4");
    }

    @Test
    void severityOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Json.MAPPER.readValue("""
                {"severity":"SEV5","likelyCause":"x","nextSteps":[],"summary":"x"}""", Triage.class))
                .hasMessageContaining("severity: 'SEV5' is not one of SEV1, SEV2, SEV3, SEV4");
    }

    @Test
    void missingSeverityIsRefusedRatherThanDefaulted() {
        assertThatThrownBy(() -> Json.MAPPER.readValue("""
                {"likelyCause":"x","nextSteps":[],"summary":"x"}""", Triage.class))
                .hasMessageContaining("severity: required in the model's answer");
    }

    @Test
    void everyOpsAnswerRefusesAnUnknownChoiceNamingItsField() {
        assertThatThrownBy(() -> Json.MAPPER.readValue("""
                {"category":"BILLING","urgency":"ASAP","intent":"QUESTION","summary":"x","draftReply":"x"}""",
                EmailTriager.EmailTriage.class))
                .hasMessageContaining("urgency: 'ASAP' is not one of URGENT, HIGH, NORMAL, LOW");
        assertThatThrownBy(() -> Json.MAPPER.readValue("""
                {"category":"BUG","priority":"P1","sentiment":"NEUTRAL","suggestedResponse":"x"}""",
                SupportTicketClassifier.Classification.class))
                .hasMessageContaining("priority: 'P1' is not one of URGENT, HIGH, NORMAL, LOW");
        assertThatThrownBy(() -> Json.MAPPER.readValue("""
                {"verdict":0,"smokeTests":[],"summary":"x"}""", DeployVerifier.Verification.class))
                .hasMessageContaining("verdict: '0' is not one of PASS, FAIL");
    }
}
