# METADATA
# title: "Zone signing should not use RSA SHA1"
# description: "RSA/SHA-1 signatures are weak; DNSSEC keys should use a SHA-2 based algorithm."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0012
# custom:
#   id: GCP-0012
#   avd_id: AVD-GCP-0012
#   provider: google
#   service: dns
#   severity: MEDIUM
#   recommended_actions: "Use rsasha256, rsasha512 or an ECDSA algorithm in 'dnssec_config.default_key_specs'."
#   input:
#     selector:
#       - type: cloud
package builtin.google.dns.GCP0012

deny contains res if {
	some zone in input.google.dns.managedzones
	some spec in zone.dnssec.defaultkeyspecs
	lower(spec.algorithm.value) == "rsasha1"
	res := result.new(sprintf("Zone %s key uses RSA/SHA-1.", [spec.keytype.value]), spec.algorithm)
}
