# METADATA
# title: "Port 22 exposed"
# description: "Exposing port 22 means an SSH server runs in the container: an extra way in, and a sign that the container is managed like a host."
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/
# custom:
#   id: DS-0004
#   avd_id: AVD-DS-0004
#   severity: MEDIUM
#   recommended_actions: "Remove 'EXPOSE 22' and the SSH server; use 'docker exec' or the orchestrator to reach the container."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS004

import data.lib.docker
import data.lib.sh

deny contains res if {
	some instruction in docker.expose
	some port in instruction.Value
	split(port, "/")[0] == "22"
	res := result.new("Port 22 should not be exposed in Dockerfile", instruction)
}
