# METADATA
# title: "Specific capabilities added"
# description: "The baseline Pod Security Standard forbids adding capabilities beyond the runtime's default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
# custom:
#   id: KSV-0022
#   avd_id: AVD-KSV-0022
#   severity: MEDIUM
#   recommended_actions: "Add no capability outside the baseline default set to 'securityContext.capabilities.add'."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV022

import data.lib.kubernetes

baseline_caps := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}

deny contains res if {
	some container in kubernetes.containers
	extra := {cap | some cap in kubernetes.added_capabilities(container); not cap in baseline_caps}
	count(extra) > 0
	msg := sprintf("%s should not add the capabilities %v (beyond the baseline default set)", [kubernetes.describe(container), sort(extra)])
	res := result.new(msg, container)
}
