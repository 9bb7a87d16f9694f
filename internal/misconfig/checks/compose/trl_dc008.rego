# METADATA
# title: "Security profile disabled"
# description: "'security_opt' turns off a kernel confinement Docker applies by default: seccomp:unconfined, apparmor:unconfined, label:disable (SELinux) or systempaths=unconfined (unmasked /proc and /sys paths)."
# scope: package
# related_resources:
#   - https://docs.docker.com/engine/security/seccomp/
# custom:
#   id: TRL-DC-0008
#   severity: MEDIUM
#   recommended_actions: "Remove the option, or give a custom profile (seccomp:profile.json, apparmor:NAME) that allows what the service needs."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC008

import data.lib.compose

disabled := {"seccomp:unconfined", "apparmor:unconfined", "label:disable", "systempaths:unconfined"}

deny contains res if {
	some name, svc in compose.services
	some opt in compose.list(svc.security_opt)
	is_string(opt)
	normalized := replace(lower(replace(opt, " ", "")), "=", ":")
	normalized in disabled
	res := result.new(sprintf("%s sets security_opt '%s'", [compose.describe(name), opt]), svc)
}
