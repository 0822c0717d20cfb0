package keysource

import (
	"strings"
	"testing"
)

// TestSDKFileParse: the sections and keys the SDK's profile provider
// reads, inline comments and quotes as ini.v1 reads them, and errors that
// name the line and never its text.
func TestSDKFileParse(t *testing.T) {
	s := &sdkFileSource{profile: "p", path: "/f"}
	k, _, err := s.parse([]byte("[basic]\nak = \"AK1\" ; a comment\nsk: SK1\n[global]\nak = AK2\nsk = SK2\n"))
	if err != nil || k.AK != "AK1" || string(k.SK) != "SK1" {
		t.Fatalf("[basic]: %+v %v", k.AK, err)
	}
	s.section = "global"
	if k, _, err := s.parse([]byte("[basic]\nak = AK1\nsk = SK1\n[global]\nak = AK2\nsk = SK2\n")); err != nil || k.AK != "AK2" {
		t.Fatalf("section global: %v", err)
	}
	for _, tc := range []struct{ section, in, want string }{
		{"", "[basic]\nak = AK1\n", "[basic] needs both ak and sk"},
		{"", "[basic\nak = AK1\n", "line 1"},
		{"global", "[other]\nak = A\nsk = B\n", "no section [global]"},
		{"", "[basic]\nak = A\nsk = B\nSECRETLINE", "line 4"},
	} {
		s.section = tc.section
		_, _, err := s.parse([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRETLINE") {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
	s.section = ""
	if _, _, err := s.parse([]byte("[other]\nak = A\nsk = B\n")); err == nil || !strings.Contains(err.Error(), "no [basic] or [global]") {
		t.Errorf("no SDK section: %v", err)
	}
	// idp_id and id_token_file win over ak/sk, as in the SDK; one alone is
	// an error naming the other.
	_, fed, err := s.parse([]byte("[basic]\nak = A\nsk = B\nidp_id = corp\nid_token_file = /run/token\n"))
	if err != nil || fed != (federationSpec{idpID: "corp", tokenFile: "/run/token"}) {
		t.Errorf("federation: %+v %v", fed, err)
	}
	if _, _, err := s.parse([]byte("[basic]\nidp_id = corp\n")); err == nil || !strings.Contains(err.Error(), "needs both idp_id and id_token_file") {
		t.Errorf("idp_id alone: %v", err)
	}
}
