#!/usr/bin/env python3
"""A generated cluster dump for the scan benchmark: NODES nodes in 3 zones, WORKLOADS Deployments (each with its
ReplicaSet) spread over 20 namespaces, PODS ready pods owned by them, BUDGETS PodDisruptionBudgets; as the
kind: List that kubectl get -A -o yaml prints. Usage: scan_dump.py NODES WORKLOADS PODS BUDGETS [NAMESPACES [SERVICES]] > dump.yaml
(NAMESPACES 20 unless given: 1 puts every workload and budget in one namespace, the worst case for matching selectors;
SERVICES 0 unless given: Services, each selecting one Deployment's pods)"""
import sys

nodes, workloads, pods, budgets = (int(a) for a in sys.argv[1:5])
spaces = int(sys.argv[5]) if len(sys.argv) > 5 else 20
services = int(sys.argv[6]) if len(sys.argv) > 6 else 0
out = sys.stdout
out.write("apiVersion: v1\nkind: List\nitems:\n")
for n in range(nodes):
    zone = "zone-" + "abc"[n % 3]
    out.write(f"- apiVersion: v1\n  kind: Node\n  metadata: {{name: node-{n}, labels: {{kubernetes.io/hostname: node-{n}, "
              f"topology.kubernetes.io/zone: {zone}, topology.kubernetes.io/region: r1}}}}\n"
              f"  status: {{allocatable: {{cpu: '16', memory: 64Gi, pods: '110'}}}}\n")
per = max(1, pods // workloads)
for w in range(workloads):
    ns = f"team-{w % spaces}"
    replicas = 1 + w % 5
    out.write(f"""- apiVersion: apps/v1
  kind: Deployment
  metadata: {{name: app-{w}, namespace: {ns}, uid: d-{w}}}
  spec:
    replicas: {replicas}
    selector: {{matchLabels: {{app: app-{w}}}}}
    template:
      metadata: {{labels: {{app: app-{w}, tier: t{w % 7}}}}}
      spec: {{containers: [{{name: c, image: "registry.example/app-{w}:1.{w % 9}", ports: [{{containerPort: 8080}}]}}]}}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: app-{w}-1
    namespace: {ns}
    uid: rs-{w}
    ownerReferences: [{{apiVersion: apps/v1, kind: Deployment, name: app-{w}, uid: d-{w}, controller: true}}]
  spec: {{replicas: {replicas}}}
""")
    for p in range(per):
        out.write(f"""- apiVersion: v1
  kind: Pod
  metadata:
    name: app-{w}-{p}
    namespace: {ns}
    labels: {{app: app-{w}}}
    ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: app-{w}-1, uid: rs-{w}, controller: true}}]
  spec:
    nodeName: node-{(w * 7 + p) % nodes}
    containers: [{{name: c, image: "registry.example/app-{w}:1.0", resources: {{requests: {{cpu: 100m, memory: 128Mi}}}}}}]
    tolerations:
    - {{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}}
    - {{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}}
  status: {{phase: Running, conditions: [{{type: Ready, status: "True"}}]}}
""")
for b in range(budgets):
    w = b * (workloads // max(1, budgets))
    out.write(f"""- apiVersion: policy/v1
  kind: PodDisruptionBudget
  metadata: {{name: app-{w}, namespace: team-{w % spaces}}}
  spec: {{maxUnavailable: {b % 2}, selector: {{matchExpressions: [{{key: app, operator: In, values: [app-{w}]}}]}}}}
  status: {{disruptionsAllowed: {b % 2}, expectedPods: 3, currentHealthy: 3, desiredHealthy: 3}}
""")
for v in range(services):
    w = v % workloads
    out.write(f"""- apiVersion: v1
  kind: Service
  metadata: {{name: app-{w}, namespace: team-{w % spaces}}}
  spec: {{selector: {{app: app-{w}}}, ports: [{{port: 80, targetPort: 8080}}]}}
""")
