package cli

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"

	"ccecert/api"
)

// consoleKubeconfig asks the emulator for a certificate through the api
// client (not through ccecert) and renders it the way the CCE console
// download looks: internalCluster/externalCluster, contexts internal and
// external, one user "user".
func (c *cli) consoleKubeconfig(name string, days int) []byte {
	c.t.Helper()
	ti := c.target(name)
	caFile, err := c.srv.WriteCAFile(c.t.TempDir())
	if err != nil {
		c.t.Fatal(err)
	}
	client, err := api.New(api.Config{AK: c.srv.AK, SK: api.Secret(c.srv.SK), Endpoint: c.srv.URL, CAFile: filepath.Clean(caFile), UserAgent: "ccecert-test"})
	if err != nil {
		c.t.Fatal(err)
	}
	defer client.Close()
	t := api.Target{Kind: api.Kind(ti.Kind), ID: ti.ID, Name: ti.Name, Region: ti.Region, ProjectID: ti.ProjectID, Version: ti.Version}
	iss, err := client.Issue(c.t.Context(), t, api.CertRequest{Validity: api.Days(days), ProjectID: ti.ProjectID})
	if err != nil {
		c.t.Fatalf("issue %s: %v", name, err)
	}
	type named map[string]any
	var clusters, contexts []named
	for _, ic := range iss.Contexts {
		cl := named{"server": ic.Server}
		if ic.InsecureSkipTLSVerify {
			cl["insecure-skip-tls-verify"] = true
		} else {
			cl["certificate-authority-data"] = base64.StdEncoding.EncodeToString(ic.CAData)
		}
		clusters = append(clusters, named{"name": ic.ClusterName, "cluster": cl})
		contexts = append(contexts, named{"name": ic.Name, "context": named{"cluster": ic.ClusterName, "user": "user"}})
	}
	doc := named{
		"kind": "Config", "apiVersion": "v1", "preferences": named{},
		"clusters": clusters, "contexts": contexts, "current-context": iss.CurrentContext,
		"users": []named{{"name": "user", "user": named{
			"client-certificate-data": base64.StdEncoding.EncodeToString(iss.CertPEM),
			"client-key-data":         base64.StdEncoding.EncodeToString(iss.Key.Reveal()),
		}}},
	}
	data, err := json.Marshal(doc)
	if err != nil {
		c.t.Fatal(err)
	}
	return data
}
