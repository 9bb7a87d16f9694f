# METADATA
# title: "Runs as root"
# description: "The service sets 'user' to root (root, 0, 0:…, root:…): a process that breaks out of the container is root on the host unless user namespaces remap it. A service without 'user' runs as the image's USER, which this check cannot see (the Dockerfile checks can)."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#user
# custom:
#   id: TRL-DC-0013
#   severity: MEDIUM
#   recommended_actions: "Set 'user' to a non-root UID (user: '10001:10001'), or remove it and set USER in the image."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC013

import data.lib.compose

root_user(u) if u == 0

# "root", "0", "root:…", "0:…" (not "rooted", "01000").
root_user(u) if {
	is_string(u)
	regex.match(`^(root|0)(:.*)?$`, trim_space(u))
}

deny contains res if {
	some name, svc in compose.services
	root_user(svc.user)
	res := result.new(sprintf("%s runs as root ('user: %v')", [compose.describe(name), svc.user]), svc)
}
