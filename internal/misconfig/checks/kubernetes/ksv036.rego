# METADATA
# title: "Protecting Pod service account tokens"
# description: "A pod that mounts its service account token hands the Kubernetes API credentials of that account to anything that compromises it."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting
# custom:
#   id: KSV-0036
#   avd_id: AVD-KSV-0036
#   severity: MEDIUM
#   recommended_actions: "Set 'automountServiceAccountToken' to false in the pod spec and do not mount the token path; mount a projected token only where the API is needed."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV036

import data.lib.kubernetes

token_path := "/var/run/secrets/kubernetes.io/serviceaccount"

mounts_token if {
	some container in kubernetes.containers
	some mount in container.volumeMounts
	is_string(mount.mountPath)
	trim_right(mount.mountPath, "/") == token_path
}

fails if kubernetes.pod_spec.automountServiceAccountToken == true

# A null counts as unset (the ServiceAccount's setting, by default true).
sets_automount if kubernetes.pod_spec.automountServiceAccountToken != null

fails if {
	not sets_automount
	mounts_token
}

deny contains res if {
	fails
	msg := sprintf("%s should set 'automountServiceAccountToken' to false", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}
