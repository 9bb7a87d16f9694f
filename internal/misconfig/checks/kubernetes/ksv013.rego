# METADATA
# title: "Image tag \":latest\" used"
# description: "An image without a tag, or tagged latest, changes under the workload: what runs cannot be told from the manifest nor rolled back. A digest pins it."
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/containers/images/#image-names
# custom:
#   id: KSV-0013
#   avd_id: AVD-KSV-0013
#   severity: MEDIUM
#   recommended_actions: "Give every container image a specific tag other than 'latest', or a digest."
#   input:
#     selector:
#       - type: kubernetes
package builtin.kubernetes.KSV013

import data.lib.kubernetes

# tag is the image's tag ("" without one); the registry's port
# (host:5000/app) is no tag.
tag(image) := t if {
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	t := substring(last, indexof(last, ":") + 1, -1)
} else := ""

deny contains res if {
	some container in kubernetes.containers
	image := container.image
	is_string(image)
	not contains(image, "@")
	tag(image) in {"", "latest"}
	msg := sprintf("%s should use an image with a specific tag or a digest, not '%s'", [kubernetes.describe(container), image])
	res := result.new(msg, container)
}
