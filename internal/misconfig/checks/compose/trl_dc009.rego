# METADATA
# title: "Image without a pinned tag"
# description: "An image without a tag, or with ':latest', is whatever the registry serves when the stack is pulled: deployments are not repeatable and an update arrives unreviewed. Images given by digest pass; '${VAR}' images are not checked."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/compose-file/services/#image
# custom:
#   id: TRL-DC-0009
#   severity: MEDIUM
#   recommended_actions: "Use a version tag (nginx:1.27) or a digest (nginx@sha256:…)."
#   input:
#     selector:
#       - type: compose
package builtin.compose.TRLDC009

import data.lib.compose

# The tag is after the last ':' of the last path component (a
# registry's port is not a tag).
tag(image) := t if {
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := split(last, ":")[1]
} else := ""

deny contains res if {
	some name, svc in compose.services
	is_string(svc.image)
	not compose.interpolated(svc.image)
	not contains(svc.image, "@")
	tag(svc.image) in {"", "latest"}
	res := result.new(sprintf("%s uses image '%s' without a pinned tag", [compose.describe(name), svc.image]), svc)
}
