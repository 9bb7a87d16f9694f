# METADATA
# title: "Instances should not have public IP addresses"
# description: "A network interface with an access_config gets an external address reachable from the internet."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0031
# custom:
#   id: GCP-0031
#   avd_id: AVD-GCP-0031
#   provider: google
#   service: compute
#   severity: HIGH
#   recommended_actions: "Remove the 'access_config' block; reach the instance through a load balancer, IAP or a NAT."
#   input:
#     selector:
#       - type: cloud
package builtin.google.compute.GCP0031

deny contains res if {
	some instance in input.google.compute.instances
	some ni in instance.networkinterfaces
	ni.haspublicip.value == true
	res := result.new("Instance has a public IP address.", ni.haspublicip)
}
