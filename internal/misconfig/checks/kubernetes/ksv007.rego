# METADATA
# title: "Manages /etc/hosts"
# description: "Entries in 'hostAliases' are written into the pod's /etc/hosts; managing name resolution there hides it from DNS and can redirect traffic unnoticed."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/
# custom:
#   id: KSV-0007
#   avd_id: AVD-KSV-0007
#   severity: LOW
#   recommended_actions: "Remove 'hostAliases' from the pod spec and publish the names in DNS."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV007

import data.lib.kubernetes

deny contains res if {
	aliases := kubernetes.pod_spec.hostAliases
	is_array(aliases)
	count(aliases) > 0
	msg := sprintf("%s should not set 'hostAliases'", [kubernetes.describe_workload])
	res := result.new(msg, kubernetes.pod_spec)
}
