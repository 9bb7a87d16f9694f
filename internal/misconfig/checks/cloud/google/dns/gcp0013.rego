# METADATA
# title: "Cloud DNS should use DNSSEC"
# description: "A public managed zone without DNSSEC serves unsigned answers that resolvers cannot authenticate."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0013
# custom:
#   id: GCP-0013
#   avd_id: AVD-GCP-0013
#   provider: google
#   service: dns
#   severity: MEDIUM
#   recommended_actions: "Set 'dnssec_config { state = \"on\" }' on public google_dns_managed_zone resources."
#   input:
#     selector:
#       - type: cloud
package builtin.google.dns.GCP0013

deny contains res if {
	some zone in input.google.dns.managedzones
	is_string(zone.visibility.value)
	lower(zone.visibility.value) != "private"
	zone.dnssec.enabled.value == false
	res := result.new("Managed zone does not have DNSSEC enabled.", zone.dnssec.enabled)
}
