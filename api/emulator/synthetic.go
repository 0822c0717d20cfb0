package emulator

import "fmt"

// syntheticVersion is the version of every synthetic cluster.
const syntheticVersion = "v1.31"

// regionNames returns real-looking region names for the first regions of a
// synthetic inventory; beyond them, names are "sr-region-NN".
func regionNames() []string {
	return []string{
		"cn-north-4", "cn-east-3", "cn-south-1", "cn-southwest-2", "cn-north-1",
		"cn-east-2", "cn-north-9", "cn-east-4", "cn-north-2", "cn-south-4",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
		"af-south-1", "af-north-1", "la-south-2", "la-north-2", "sa-brazil-1",
		"na-mexico-1", "tr-west-1", "me-east-1", "eu-west-101", "eu-west-0",
		"ru-northwest-2", "cn-southwest-3", "ap-southeast-6", "eu-central-1", "ap-northeast-1",
	}
}

// Synthetic builds an inventory of clusters Available CCE clusters on the
// current version, every second one with an EIP, spread evenly over regions
// projects (one project per region, each with one VPC and subnet). It is for
// scale tests and benchmarks; values below 1 count as 1.
func Synthetic(clusters, regions int) *Inventory {
	clusters = max(clusters, 1)
	regions = max(regions, 1)
	names := regionNames()
	inv := &Inventory{
		Domain: Domain{Name: "synthetic-cloud"},
		User:   User{Name: "bench-user"},
	}
	for r := range regions {
		name := fmt.Sprintf("sr-region-%02d", r+1)
		if r < len(names) {
			name = names[r]
		}
		inv.Projects = append(inv.Projects, Project{Name: name, VPCs: []VPC{{
			Name:    "vpc-" + name,
			CIDR:    "192.168.0.0/16",
			Subnets: []Subnet{{Name: "subnet-" + name, CIDR: "192.168.0.0/20"}},
		}}})
	}
	for i := range clusters {
		inv.Clusters = append(inv.Clusters, Cluster{
			Name:    fmt.Sprintf("cluster-%04d", i+1),
			Project: inv.Projects[i%regions].Name,
			Version: syntheticVersion,
			EIP:     i%2 == 0,
		})
	}
	inv.fillDefaults()
	return inv
}
