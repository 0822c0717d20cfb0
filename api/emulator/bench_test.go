package emulator

import (
	"sync"
	"testing"

	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// BenchmarkListAllRegions lists 1,000 synthetic clusters in 30 regions, one
// SDK call per region, all at once: the emulator's side of an inventory.
func BenchmarkListAllRegions(b *testing.B) {
	srv, err := Start(b.Context(), Options{Clusters: 1000, Regions: 30})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	projects := map[string]string{}
	for _, ti := range srv.Targets() {
		projects[ti.ProjectID] = ti.Region
	}
	clients := map[string]*cce.CceClient{}
	for p, r := range projects {
		clients[p] = cceClient(b, srv, r, p, mainKey(srv), 0)
	}
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for _, c := range clients {
			wg.Go(func() {
				if _, err := c.ListClusters(&model.ListClustersRequest{}); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
}

// BenchmarkIssueCert measures one POST clustercert through the SDK.
func BenchmarkIssueCert(b *testing.B) {
	srv, err := Start(b.Context(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	pay, _ := srv.Target("prod-payments")
	client := cceClient(b, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	body := durationBody(30)
	for b.Loop() {
		if _, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: pay.ID, Body: &body}); err != nil {
			b.Fatal(err)
		}
	}
}
