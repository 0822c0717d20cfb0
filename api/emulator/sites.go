package emulator

import (
	"fmt"
	"sort"
	"strings"
)

// Sites the emulator can play (Options.Site, Inventory.Site).
const (
	SiteHuaweiCloud   = "huaweicloud"    // myhuaweicloud.com, Chinese Mainland or International
	SiteHuaweiCloudEU = "huaweicloud-eu" // Huawei Cloud Europe, myhuaweicloud.eu
	SiteOTC           = "otc"            // Open Telekom Cloud, otc.t-systems.com
)

// siteHosts is what a site's documents say about its host names: the
// emulator's own reading, kept apart from the client's on purpose.
type siteHosts struct {
	domain    string // regional hosts: {service}.{region}.{domain}
	iamRegion string // the region whose IAM endpoint a client uses by default
	// ucs, ucsIntl: UCS's global hosts (Chinese Mainland, International);
	// "" where no document gives one, so no such host exists here.
	ucs, ucsIntl string
	autopilot    bool // the site documents CCE Autopilot (/autopilot/v3)
}

// siteTable: the hosts each site's documents give.
//
//   - Huawei Cloud: {service}.{region}.myhuaweicloud.com ("Regions and
//     Endpoints", https://developer.huaweicloud.com/intl/en-us/endpoint;
//     IAM iam_01_0004, https://support.huaweicloud.com/en-us/api-iam/iam_01_0004.html);
//     UCS ucs.myhuaweicloud.com (Chinese Mainland) and
//     ucs-intl.myhuaweicloud.com (International), UCS API reference
//     "Endpoints" ucs_api_0002, https://support.huaweicloud.com/intl/en-us/api-ucs/ucs_api_0002.html;
//     Autopilot, https://support.huaweicloud.com/api-cce-autopilot/cce_02_0001.html.
//   - Huawei Cloud Europe: {service}.eu-west-101.myhuaweicloud.eu (IAM
//     "Endpoints", https://support.huaweicloud.com/eu/api-iam/iam_01_0004.html).
//     No Europe page gives UCS or Autopilot: not served (unconfirmed).
//   - Open Telekom Cloud: {service}.{eu-de,eu-nl}.otc.t-systems.com
//     (opentelekomcloud-docs/regions-and-endpoints, doc/source/index.rst);
//     its table has neither UCS nor Autopilot: not served (unconfirmed).
var siteTable = map[string]siteHosts{
	SiteHuaweiCloud: {domain: "myhuaweicloud.com", iamRegion: "cn-north-4",
		ucs: "ucs.myhuaweicloud.com", ucsIntl: "ucs-intl.myhuaweicloud.com", autopilot: true},
	SiteHuaweiCloudEU: {domain: "myhuaweicloud.eu", iamRegion: "eu-west-101"},
	SiteOTC:           {domain: "otc.t-systems.com", iamRegion: "eu-de"},
}

// checkSite reports an unknown site name.
func checkSite(site string) error {
	if _, ok := siteTable[site]; ok {
		return nil
	}
	names := make([]string, 0, len(siteTable))
	for n := range siteTable {
		names = append(names, n)
	}
	sort.Strings(names)
	return fmt.Errorf("site %q: the emulator plays %s", site, strings.Join(names, ", "))
}

// hostInfo is what a host name says: its site, service and region ("" for
// UCS's global hosts); intl marks ucs-intl.
type hostInfo struct {
	site, service, region string
	intl                  bool
}

// parseHost reads a real host name of one of the sites.
func parseHost(host string) (hostInfo, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for name, sh := range siteTable {
		switch {
		case sh.ucs != "" && host == sh.ucs:
			return hostInfo{site: name, service: "ucs"}, true
		case sh.ucsIntl != "" && host == sh.ucsIntl:
			return hostInfo{site: name, service: "ucs", intl: true}, true
		}
		rest, ok := strings.CutSuffix(host, "."+sh.domain)
		if !ok {
			continue
		}
		svc, region, ok := strings.Cut(rest, ".")
		if !ok || strings.Contains(region, ".") {
			return hostInfo{}, false
		}
		switch svc {
		case "iam", "cce", "vpc":
			return hostInfo{site: name, service: svc, region: region}, true
		}
		return hostInfo{}, false
	}
	return hostInfo{}, false
}

// regionalHost is the host of a regional service on a site.
func regionalHost(site, service, region string) string {
	return service + "." + region + "." + siteTable[site].domain
}

// Hosts lists every host name the emulator serves in proxy mode, sorted:
// IAM, CCE and VPC in each region its accounts' projects are in (and each
// site's default IAM region), and UCS where the site documents it.
func (s *Server) Hosts() []string {
	set := map[string]bool{}
	for _, a := range s.accounts() {
		sh := siteTable[a.site]
		regions := map[string]bool{sh.iamRegion: true}
		for _, p := range a.idx.inv.Projects {
			if _, ok := regionName(p.Region()); ok {
				regions[p.Region()] = true
			}
		}
		for r := range regions {
			for _, svc := range []string{"iam", "cce", "vpc"} {
				set[regionalHost(a.site, svc, r)] = true
			}
		}
		if sh.ucs != "" {
			set[sh.ucs], set[sh.ucsIntl] = true, true
		}
	}
	out := make([]string, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// regionName reports whether a project's region part is a region id
// (cn-north-4, eu-de), not a project such as MOS.
func regionName(r string) (string, bool) {
	if !strings.Contains(r, "-") || strings.ToLower(r) != r {
		return "", false
	}
	return r, true
}
