# Helpers over the Kubernetes input document (one resource; see
# docs/misconfig.md). Written for trawl; the rule names are the ones
# Kubernetes checks commonly import as data.lib.kubernetes.
package lib.kubernetes

kind := input.kind

# name is the resource's name ("" when it has none).
default name := ""

name := input.metadata.name if is_string(input.metadata.name)

# Workload kinds whose pod template is spec.template.
template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

# pod_spec is the pod spec of any workload kind (undefined for others).
pod_spec := input.spec if input.kind == "Pod"

pod_spec := input.spec.template.spec if input.kind in template_kinds

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

# pods is a set with the pod spec, for checks written against a set.
pods contains pod_spec

# containers are the containers, init containers and ephemeral
# containers of the pod spec.
containers contains container if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some container in pod_spec[field]
}

volumes contains volume if {
	some volume in pod_spec.volumes
}

# container_security_context is a container's securityContext ({} when
# it has none).
container_security_context(container) := object.get(container, "securityContext", {})

# pod_security_context is the pod's securityContext ({} when it has none).
pod_security_context := object.get(pod_spec, "securityContext", {})

# describe names a container in messages: "Container 'app' of Deployment 'web'".
describe(container) := sprintf("Container '%s' of %s '%s'", [object.get(container, "name", ""), kind, name])

# describe_workload names the resource in messages: "Deployment 'web'".
describe_workload := sprintf("%s '%s'", [kind, name])
