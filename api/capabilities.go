package api

import "errors"

// supports checks, before any request, that the site documents the service
// a target kind needs: CCE Autopilot and UCS are not confirmed everywhere
// (see sites). CCECERT_ENDPOINT serves everything.
func (c *Client) supports(k Kind, region string) error {
	var svc Service
	switch k {
	case KindAutopilot:
		svc = ServiceAutopilot
	case KindFleet:
		svc = ServiceUCS
	default:
		return nil
	}
	_, err := c.resolver.resolve(svc, region)
	var ce *CapabilityError
	if errors.As(err, &ce) {
		return err
	}
	return nil
}

// ucsOp adds to a UCS call the one setting to change when the key is
// refused: an international account on the default Chinese Mainland UCS
// host (ucs.myhuaweicloud.com) is not known there; its UCS is
// ucs-intl.myhuaweicloud.com (UCS API reference, "Endpoints" ucs_api_0002).
func (c *Client) ucsOp(o op) op {
	if c.cfg.Endpoint == "" && c.cfg.Site == SiteHuaweiCloud && !c.cfg.International && c.cfg.Endpoints[ServiceUCS] == "" {
		o.unauthorized = "UCS at ucs.myhuaweicloud.com (Huawei Cloud Chinese Mainland) refused the key: " +
			"for a Huawei Cloud International account set international: true (" + EnvInternational + "=1); " +
			"otherwise check " + EnvAK + "/" + EnvSK + " and the system clock"
	}
	return o
}
