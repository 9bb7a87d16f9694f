# METADATA
# title: "Deprecated MAINTAINER used"
# description: "MAINTAINER is deprecated since Docker 1.13; a label carries the same information where tools look for it."
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/build-checks/maintainer-deprecated/
# custom:
#   id: DS-0022
#   avd_id: AVD-DS-0022
#   severity: HIGH
#   recommended_actions: "Use 'LABEL org.opencontainers.image.authors=\"...\"' instead of MAINTAINER."
#   input:
#     selector:
#       - type: dockerfile
package builtin.dockerfile.DS022

import data.lib.docker
import data.lib.sh

deny contains res if {
	some instruction in docker.maintainer
	res := result.new(sprintf("MAINTAINER should not be used: 'MAINTAINER %s'", [instruction.Value[0]]), instruction)
}
