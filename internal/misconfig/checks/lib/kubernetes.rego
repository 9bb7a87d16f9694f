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
	is_object(container)
}

# volumes are the pod spec's volumes (mappings only).
volumes contains volume if {
	some volume in pod_spec.volumes
	is_object(volume)
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

# --- Pod security helpers (effective values, annotations, capabilities) ---

# security_context_value is a securityContext field as it applies to the
# container: the container's own value, else the pod's (Kubernetes lets
# the container's runAsUser, runAsGroup, runAsNonRoot, seccompProfile,
# seLinuxOptions, appArmorProfile and windowsOptions override the pod's).
# A null counts as unset. Undefined when neither sets the field.
security_context_value(container, field) := value if {
	value := container_security_context(container)[field]
	value != null
} else := value if {
	value := pod_security_context[field]
	value != null
}

# empty_security_context holds for a missing, null or empty securityContext
# (one whose fields are all null).
empty_security_context(context) if context == null

empty_security_context(context) if {
	is_object(context)
	count({key | some key, value in context; key != "__defsec_metadata"; value != null}) == 0
}

# pod_metadata is the metadata of the pod: the Pod's own, or the pod
# template's of a workload (undefined when there is none).
pod_metadata := input.metadata if input.kind == "Pod"

pod_metadata := input.spec.template.metadata if input.kind in template_kinds

pod_metadata := input.spec.jobTemplate.spec.template.metadata if input.kind == "CronJob"

# pod_annotations are the pod's annotations ({} when it has none).
default pod_annotations := {}

pod_annotations := annotations if {
	annotations := pod_metadata.annotations
	is_object(annotations)
}

# container_annotation is the pod annotation "<prefix>/<container name>".
container_annotation(prefix, container) := pod_annotations[sprintf("%s/%s", [prefix, container.name])]

# seccomp_profile_type maps a seccomp annotation value (Kubernetes before
# 1.19; ignored since 1.27) to the profile type the field would have.
seccomp_profile_type(value) := "RuntimeDefault" if {
	value in {"runtime/default", "docker/default"}
} else := "Unconfined" if {
	value == "unconfined"
} else := "Localhost" if {
	startswith(value, "localhost/")
} else := value

# container_seccomp_type is the seccomp profile type the container sets
# itself: securityContext.seccompProfile.type, else its
# container.seccomp.security.alpha.kubernetes.io/<name> annotation.
# Undefined when it sets none (it then inherits pod_seccomp_type).
container_seccomp_type(container) := type if {
	type := container_security_context(container).seccompProfile.type
	type != null
} else := seccomp_profile_type(value) if {
	value := container_annotation("container.seccomp.security.alpha.kubernetes.io", container)
	is_string(value)
}

# pod_seccomp_type is the pod's seccomp profile type: the pod
# securityContext's, else the seccomp.security.alpha.kubernetes.io/pod
# annotation. Undefined when neither is set.
pod_seccomp_type := type if {
	type := pod_security_context.seccompProfile.type
	type != null
} else := seccomp_profile_type(value) if {
	value := pod_annotations["seccomp.security.alpha.kubernetes.io/pod"]
	is_string(value)
}

# capability_name normalises a capability for comparison: upper case,
# without the CAP_ prefix the runtimes accept.
capability_name(cap) := trim_prefix(upper(cap), "CAP_")

# added_capabilities are the capabilities a container adds, as written.
added_capabilities(container) := {cap |
	some cap in container_security_context(container).capabilities.add
	is_string(cap)
}

# sets_resource holds when the container sets resources.<section>.<name>
# (section "requests" or "limits", name "cpu" or "memory").
sets_resource(container, section, name) if {
	value := container.resources[section][name]
	value != null
}

# host_path is a hostPath volume's path without trailing slashes ("/" for
# the root); undefined for other volumes.
host_path(volume) := path if {
	raw := volume.hostPath.path
	is_string(raw)
	path := trim_right(raw, "/")
	path != ""
} else := "/" if {
	startswith(volume.hostPath.path, "/")
}
