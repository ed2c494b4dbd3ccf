package dev.haguard.rules.backups;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.haguard.rules.backups.VeleroSchedules.Cover;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VeleroSchedulesTest {

    private static JsonNode schedule(String template) throws Exception {
        return new YAMLMapper().readTree("apiVersion: velero.io/v1\nkind: Schedule\nmetadata: {name: s, namespace: velero}\n"
                + "spec: {schedule: '0 2 * * *', template: " + template + "}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                                                          | shop    | FULL",
            "{includedNamespaces: ['*']}                                 | shop    | FULL",
            "{includedNamespaces: [shop]}                                | shop    | FULL",
            "{includedNamespaces: [shop]}                                | billing | NONE",
            "{includedNamespaces: ['team-*']}                            | team-a  | FULL",
            "{includedNamespaces: ['team-?']}                            | team-ab | NONE",
            "{includedNamespaces: ['{shop,billing}']}                    | billing | FULL",
            "{includedNamespaces: ['*'], excludedNamespaces: ['shop']}   | shop    | NONE",
            "{includedNamespaces: [shop], excludedNamespaces: ['s*']}    | shop    | NONE",
            "{snapshotVolumes: false}                                    | shop    | NONE",
            "{snapshotVolumes: false, defaultVolumesToFsBackup: true}    | shop    | FULL",
            "{includedResources: [deployments, configmaps]}              | shop    | NONE",
            "{includedResources: [deployments, persistentvolumeclaims]}  | shop    | FULL",
            "{excludedResources: [persistentvolumes]}                    | shop    | NONE",
            "{labelSelector: {matchLabels: {backup: 'yes'}}}             | shop    | PARTIAL",
            "{orLabelSelectors: [{matchLabels: {a: b}}]}                 | shop    | PARTIAL"})
    void coverage_follows_veleros_semantics(String template, String namespace, Cover cover) throws Exception {
        assertThat(VeleroSchedules.covers(schedule(template), namespace)).isEqualTo(cover);
    }

    @ParameterizedTest
    @CsvSource({"true, NONE", "false, FULL"})
    void a_paused_schedule_covers_nothing(boolean paused, Cover cover) throws Exception {
        JsonNode s = schedule("{}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) s.path("spec")).put("paused", paused);
        assertThat(VeleroSchedules.covers(s, "shop")).isEqualTo(cover);
    }
}
