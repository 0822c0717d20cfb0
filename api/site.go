package api

import (
	"fmt"
	"sort"
	"strings"
)

// Site is the cloud ccecert talks to: which host names serve which
// service in which region.
type Site string

// The built-in sites, and custom for any other stack.
const (
	// SiteHuaweiCloud is Huawei Cloud (myhuaweicloud.com), Chinese
	// Mainland or International (Config.International): the two differ
	// in UCS's host only.
	SiteHuaweiCloud Site = "huaweicloud"
	// SiteHuaweiCloudEU is Huawei Cloud Europe (myhuaweicloud.eu, region
	// eu-west-101).
	SiteHuaweiCloudEU Site = "huaweicloud-eu"
	// SiteOTC is Open Telekom Cloud (otc.t-systems.com, eu-de and eu-nl).
	SiteOTC Site = "otc"
	// SiteCustom is any other stack: Config.EndpointTemplate and
	// Config.Endpoints say where each service is.
	SiteCustom Site = "custom"
)

// Service is a cloud service ccecert calls.
type Service string

// The services ccecert calls. Autopilot is served by CCE's endpoint (its
// SDK operations live on the CCE client), under /autopilot/v3.
const (
	ServiceIAM       Service = "iam"
	ServiceCCE       Service = "cce"
	ServiceAutopilot Service = "autopilot"
	ServiceUCS       Service = "ucs"
	ServiceVPC       Service = "vpc"
)

// Services lists every service, in a stable order.
func Services() []Service {
	return []Service{ServiceIAM, ServiceCCE, ServiceAutopilot, ServiceUCS, ServiceVPC}
}

// host is the first label of a service's regional host name.
func (s Service) host() string {
	if s == ServiceAutopilot {
		return string(ServiceCCE)
	}
	return string(s)
}

// DefaultEndpointTemplate is the pattern of regional endpoints on every
// built-in site: https://{service}.{region}.{domain}.
const DefaultEndpointTemplate = "https://{service}.{region}.{domain}"

// siteInfo is what a built-in site's documents say.
type siteInfo struct {
	title  string // for messages: "Huawei Cloud Europe"
	domain string // regional hosts are {service}.{region}.{domain}
	// iamRegion is the default region of the IAM endpoint that lists
	// the key's projects.
	iamRegion string
	// ucsHost, ucsIntlHost: UCS's one global host (Chinese Mainland,
	// International); "" where no document gives one.
	ucsHost, ucsIntlHost string
	// autopilot: the site documents CCE Autopilot.
	autopilot bool
}

// sites are the built-in sites. Every host comes from an official page:
//
//   - Huawei Cloud: regional endpoints {service}.{region}.myhuaweicloud.com
//     ("Regions and Endpoints", https://developer.huaweicloud.com/intl/en-us/endpoint;
//     IAM "Endpoints" iam_01_0004, https://support.huaweicloud.com/en-us/api-iam/iam_01_0004.html,
//     lists iam.cn-north-4.myhuaweicloud.com and the other regions); UCS is
//     global: ucs.myhuaweicloud.com for Huawei Cloud Chinese Mainland,
//     ucs-intl.myhuaweicloud.com for Huawei Cloud International (UCS API
//     reference, "Endpoints" ucs_api_0002,
//     https://support.huaweicloud.com/intl/en-us/api-ucs/ucs_api_0002.html).
//     CCE Autopilot: its own API reference
//     (https://support.huaweicloud.com/api-cce-autopilot/cce_02_0001.html).
//   - Huawei Cloud Europe: {service}.eu-west-101.myhuaweicloud.eu (IAM
//     "Endpoints" on the Europe site, https://support.huaweicloud.com/eu/api-iam/iam_01_0004.html;
//     "when calling SDKs … set the endpoint address to
//     https://iam.eu-west-101.myhuaweicloud.eu",
//     https://support.huaweicloud.com/eu/de-de/api-bpconsole/offl_110005.html;
//     the SDK's CCE, VPC and IAM tables give the same hosts). No Europe
//     document gives a UCS host or documents Autopilot: unconfirmed.
//   - Open Telekom Cloud: {service}.{eu-de,eu-nl}.otc.t-systems.com
//     (opentelekomcloud-docs/regions-and-endpoints, doc/source/index.rst:
//     iam.eu-de.otc.t-systems.com, cce.eu-de.otc.t-systems.com,
//     vpc.eu-de.otc.t-systems.com and the eu-nl hosts). Its table lists
//     neither UCS nor Autopilot: unconfirmed.
var sites = map[Site]siteInfo{
	SiteHuaweiCloud: {
		title: "Huawei Cloud", domain: "myhuaweicloud.com", iamRegion: DefaultIAMRegion,
		ucsHost: "ucs.myhuaweicloud.com", ucsIntlHost: "ucs-intl.myhuaweicloud.com", autopilot: true,
	},
	SiteHuaweiCloudEU: {title: "Huawei Cloud Europe", domain: "myhuaweicloud.eu", iamRegion: "eu-west-101"},
	SiteOTC:           {title: "Open Telekom Cloud", domain: "otc.t-systems.com", iamRegion: "eu-de"},
}

// SiteNames lists the valid Site values.
func SiteNames() []string {
	names := []string{string(SiteCustom)}
	for s := range sites {
		names = append(names, string(s))
	}
	sort.Strings(names)
	return names
}

// ParseSite reads a site name ("" is the default, huaweicloud).
func ParseSite(name string) (Site, error) {
	s := Site(strings.ToLower(strings.TrimSpace(name)))
	if s == "" {
		return SiteHuaweiCloud, nil
	}
	if _, ok := sites[s]; ok || s == SiteCustom {
		return s, nil
	}
	return "", fmt.Errorf("unknown site %q: use one of %s", name, strings.Join(SiteNames(), ", "))
}

// title names the site for messages.
func (s Site) title() string {
	if info, ok := sites[s]; ok {
		return info.title
	}
	return "the custom site"
}
