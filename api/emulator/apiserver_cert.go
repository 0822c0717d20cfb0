package emulator

import (
	"crypto/tls"
	"net"
	"slices"
	"strings"
)

// The hosts of a cluster's two API server listeners. Both are loopback; they
// differ so that a certificate can cover one and not the other, as CCE's
// covers its private IP and an EIP only when signed in.
const (
	// InternalHost is the host of every internal endpoint (and of fleets').
	InternalHost = "127.0.0.1"
	// EIPHost is the host of every external (EIP) endpoint. Where it cannot
	// be bound (macOS has only 127.0.0.1 unless aliased), external endpoints
	// fall back to InternalHost, which the serving certificate covers.
	EIPHost = "127.0.0.2"
)

// maxCustomSANs is CCE's limit: "A maximum of 128 domain names or IP
// addresses" (CCE User Guide, Accessing a Cluster Using a Custom Domain Name,
// https://support.huaweicloud.com/intl/en-us/usermanual-cce/cce_10_0367.html).
const maxCustomSANs = 128

// listenAPI opens an API server listener: on want (host:port, loopback)
// when it can be bound, so a kept kubeconfig still reaches it; else on
// EIPHost for an external endpoint (InternalHost where that cannot be
// bound), else on InternalHost, on a new port.
func listenAPI(external bool, want string) (net.Listener, error) {
	if host, _, err := net.SplitHostPort(want); err == nil && (host == InternalHost || host == EIPHost) {
		if ln, err := net.Listen("tcp", want); err == nil {
			return ln, nil
		}
	}
	if external {
		if ln, err := net.Listen("tcp", net.JoinHostPort(EIPHost, "0")); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", net.JoinHostPort(InternalHost, "0"))
}

// servingCert is the one certificate a cluster's API server presents on
// both listeners, signed by the cluster CA. It covers the internal address
// and the custom SANs only: the external address is covered when it is one
// of them. CCE signs custom SANs into "the cluster server certificate"
// (https://support.huaweicloud.com/intl/en-us/usermanual-cce/cce_10_0367.html);
// binding an EIP "will restart kube-apiserver and update the cluster access
// certificate" (Cluster Access,
// https://support.huaweicloud.com/intl/en-us/usermanual-cce/cce_10_0783.html),
// but whether that puts the EIP in the SANs is unconfirmed, and CCE still
// issues the external context with insecure-skip-tls-verify (Obtaining a
// Cluster Certificate, seed 000), so the emulator puts it in only through
// custom_sans.
func (rt *targetRuntime) servingCert(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	rt.leafOnce.Do(func() {
		ca, err := rt.authority()
		if err != nil {
			rt.leafErr = err
			return
		}
		ips, names := servingSANs(rt.customSANs)
		rt.leaf, rt.leafErr = ca.issueServing(InternalHost, ips, names, rt.s.now())
	})
	return rt.leaf, rt.leafErr
}

// mitmCert is what a man in the middle presents on the external listener: a
// certificate for every address the real one covers, and the EIP, from a CA
// of its own.
func (rt *targetRuntime) mitmCert(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	rt.mitmOnce.Do(func() {
		ca, err := rt.mitmAuthority()
		if err != nil {
			rt.mitmErr = err
			return
		}
		ips, names := servingSANs(append(slices.Clone(rt.customSANs), EIPHost))
		rt.mitmLeaf, rt.mitmErr = ca.issueServing(InternalHost, ips, names, rt.s.now())
	})
	return rt.mitmLeaf, rt.mitmErr
}

// mitmAuthority is the man in the middle's CA, created on first use (or
// kept from an earlier run): the same name as the cluster's, another key.
func (rt *targetRuntime) mitmAuthority() (*authority, error) {
	rt.mitmCAOnce.Do(func() {
		rt.mitmCA, rt.mitmCAErr = newAuthority(rt.name+" CA", rt.s.now())
	})
	return rt.mitmCA, rt.mitmCAErr
}

// servingSANs splits the internal address and the custom SANs into IP
// addresses and DNS names.
func servingSANs(custom []string) ([]net.IP, []string) {
	ips := []net.IP{net.ParseIP(InternalHost)}
	var names []string
	for _, san := range custom {
		if ip := net.ParseIP(san); ip != nil {
			ips = append(ips, ip)
		} else {
			names = append(names, strings.ToLower(san))
		}
	}
	return ips, names
}

// validateServing checks a cluster's custom SANs and MITM flag as CCE
// checks spec.customSan: "Unique values. They must comply with the IP
// address and domain name formats" (Custom SAN of the API Server
// Certificate, https://support.huaweicloud.com/intl/en-us/drawer-cce/Cluster_customSan.html),
// at most 128, "available only to clusters of v1.19 and later" (cce_10_0367).
func validateServing(c Cluster, what string, add addFunc) {
	if c.MITM && !c.EIP {
		add("%s: mitm needs eip: true (it is the external endpoint that is played)", what)
	}
	if len(c.CustomSANs) == 0 {
		return
	}
	if major, minor, ok := parseVersion(c.Version); ok && (major < 1 || (major == 1 && minor < 19)) {
		add("%s: custom_sans need a cluster of v1.19 or later", what)
	}
	if len(c.CustomSANs) > maxCustomSANs {
		add("%s: %d custom_sans: CCE allows at most %d", what, len(c.CustomSANs), maxCustomSANs)
	}
	seen := map[string]bool{}
	for _, san := range c.CustomSANs {
		key := strings.ToLower(san)
		switch {
		case net.ParseIP(san) == nil && !dnsName(san):
			add("%s: custom_sans %q is neither an IP address nor a domain name", what, san)
		case seen[key]:
			add("%s: custom_sans %q listed twice", what, san)
		}
		seen[key] = true
	}
}

// dnsName reports whether s is a domain name: dot-separated labels of
// letters, digits and inner hyphens, each 1..63 long, 253 in all.
func dnsName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}
