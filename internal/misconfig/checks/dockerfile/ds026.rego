# METADATA
# title: "No HEALTHCHECK defined"
# description: "Without a HEALTHCHECK the runtime only knows whether the process is alive, not whether it serves; an explicit 'HEALTHCHECK NONE' states the choice."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0026
#   avd_id: AVD-DS-0026
#   severity: LOW
#   recommended_actions: "Add a HEALTHCHECK instruction (or 'HEALTHCHECK NONE' to opt out explicitly)."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS026

import data.lib.docker
import data.lib.sh

deny contains res if {
	count(input.Stages) > 0
	count(docker.healthcheck) == 0
	res := result.new("Add HEALTHCHECK instruction in your Dockerfile", {})
}
