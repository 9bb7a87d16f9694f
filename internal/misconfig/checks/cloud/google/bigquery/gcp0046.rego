# METADATA
# title: "BigQuery datasets should only be accessible within the organisation"
# description: "An access grant to the special group allAuthenticatedUsers opens the dataset to every Google account, inside or outside the organisation."
# scope: package
# related_resources:
#   - https://avd.aquasec.com/misconfig/gcp-0046
# custom:
#   id: GCP-0046
#   avd_id: AVD-GCP-0046
#   provider: google
#   service: bigquery
#   severity: CRITICAL
#   recommended_actions: "Grant dataset access to specific users, groups or domains instead of allAuthenticatedUsers."
#   input:
#     selector:
#       - type: cloud
package builtin.google.bigquery.GCP0046

deny contains res if {
	some dataset in input.google.bigquery.datasets
	some grant in dataset.accessgrants
	grant.specialgroup.value == "allAuthenticatedUsers"
	res := result.new("Dataset grants access to all authenticated Google users.", grant.specialgroup)
}
