package emulator

import (
	"net/http"
	"strings"
)

// service is the cloud service a route belongs to.
type service int

const (
	svcIAM service = iota
	svcCCE
	svcUCS
	svcVPC
)

// route is one API operation: a method and a path pattern whose {name}
// segments are variables.
type route struct {
	method string
	segs   []string
	svc    service
	kind   string // CCE routes: cce or autopilot
	handle func(http.ResponseWriter, *call)
	// unsigned: the route takes no AK/SK signature; its handler checks
	// the token in the body (federation.go).
	unsigned bool
}

func newRoute(method, pattern string, svc service, kind string, h func(http.ResponseWriter, *call)) route {
	return route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), svc: svc, kind: kind, handle: h}
}

// routeTable lists every operation, taken from the SDK's request
// definitions (services/{iam/v3,cce/v3,ucs/v1,vpc/v2}/*_meta.go) and the
// API references cited beside each handler. Only documented routes: the
// Autopilot API has no revoke and no legacy GET (Autopilot API overview,
// https://support.huaweicloud.com/api-cce-autopilot/cce_02_0098.html), so
// those paths answer 404 APIGW.0101 like any unknown route. The first match
// wins, so literal paths come before variable ones.
func (s *Server) routeTable() []route {
	get, post := http.MethodGet, http.MethodPost
	rs := []route{
		newRoute(get, "/v3/auth/projects", svcIAM, "", s.listAuthProjects),
		newRoute(get, "/v3/auth/domains", svcIAM, "", s.listAuthDomains),
		newRoute(get, "/v3/projects", svcIAM, "", s.listProjects),
		unsigned(newRoute(post, "/v3.0/OS-AUTH/id-token/tokens", svcIAM, "", s.createTokenWithIDToken)),
		unsigned(newRoute(post, "/v3.0/OS-CREDENTIAL/securitytokens", svcIAM, "", s.createSecurityTokens)),
		newRoute(get, "/v1/clustergroups", svcUCS, "", s.listFleets),
		newRoute(get, "/v1/clustergroups/{clustergroupid}", svcUCS, "", s.showFleet),
		newRoute(post, "/v1/clustergroups/{clustergroupid}/cert", svcUCS, "", s.createFederationCert),
		newRoute(post, "/v1/clustergroups/{clustergroupid}/kubeconfig", svcUCS, "", s.downloadFederationKubeconfig),
		newRoute(get, "/v1/clusters", svcUCS, "", s.listUCSClusters),
		newRoute(get, "/v1/{project_id}/vpcs", svcVPC, "", s.listVPCs),
		newRoute(get, "/v1/{project_id}/subnets", svcVPC, "", s.listSubnets),
	}
	cce := "/api/v3/projects/{project_id}/clusters"
	autopilot := "/autopilot/v3/projects/{project_id}/clusters"
	rs = append(rs,
		newRoute(get, cce, svcCCE, KindCCE, s.listClusters),
		newRoute(get, cce+"/{cluster_id}", svcCCE, KindCCE, s.showCluster),
		newRoute(post, cce+"/{cluster_id}/clustercert", svcCCE, KindCCE, s.createClusterCert),
		newRoute(get, cce+"/{cluster_id}/clustercert", svcCCE, KindCCE, s.legacyClusterCert),
		newRoute(post, cce+"/{cluster_id}/clustercertrevoke", svcCCE, KindCCE, s.revokeClusterCert),
		newRoute(get, autopilot, svcCCE, KindAutopilot, s.listClusters),
		newRoute(get, autopilot+"/{cluster_id}", svcCCE, KindAutopilot, s.showCluster),
		newRoute(post, autopilot+"/{cluster_id}/clustercert", svcCCE, KindAutopilot, s.createClusterCert),
	)
	return rs
}

// unsigned marks a route that takes no signature.
func unsigned(r route) route { r.unsigned = true; return r }

// matchRoute finds the route for method and path and its variables.
func matchRoute(routes []route, method, path string) (*route, map[string]string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != method || len(rt.segs) != len(segs) {
			continue
		}
		if vars, ok := matchSegments(rt.segs, segs); ok {
			return rt, vars
		}
	}
	return nil, nil
}

func matchSegments(pattern, segs []string) (map[string]string, bool) {
	vars := map[string]string{}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			vars[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return vars, true
}
