package dev.haguard.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The fabric8 mock API server in CRUD mode, which serves any path, made to answer velero.io requests with 404 until
 * Velero's CRD for that resource is stored, as a real API server does before Velero is installed.
 */
public final class VeleroAwareDispatcher extends KubernetesCrudDispatcher {

    private static final String VELERO = "/apis/velero.io/v1/";
    private static final java.util.Map<String, String> KINDS = java.util.Map.of("schedules", "Schedule", "backups",
            "Backup", "restores", "Restore", "backupstoragelocations", "BackupStorageLocation");

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if (path.equals("/apis/velero.io/v1")) {
            StringBuilder served = new StringBuilder();
            for (var kind : KINDS.entrySet()) {
                if (installed(kind.getKey())) {
                    served.append(served.isEmpty() ? "" : ",").append("{\"name\":\"").append(kind.getKey())
                            .append("\",\"namespaced\":true,\"kind\":\"").append(kind.getValue()).append("\",")
                            .append("\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}");
                }
            }
            return served.isEmpty() ? notFound() : new MockResponse().setResponseCode(200).setBody("{\"kind\":"
                    + "\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"velero.io/v1\",\"resources\":["
                    + served + "]}");
        }
        int at = path.indexOf(VELERO);
        if (at == 0) {
            String rest = path.substring(VELERO.length()).replaceFirst("\\?.*", "");
            String[] parts = rest.split("/");
            String plural = parts.length >= 3 && parts[0].equals("namespaces") ? parts[2] : parts[0];
            if (!installed(plural)) {
                return notFound();
            }
        }
        return super.dispatch(request);
    }

    private boolean installed(String plural) {
        return handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + plural + ".velero.io").code() == 200;
    }

    private static MockResponse notFound() {
        return new MockResponse().setResponseCode(404).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":"
                + "\"Failure\",\"reason\":\"NotFound\",\"code\":404,\"message\":\"the server could not find the "
                + "requested resource\"}");
    }
}
