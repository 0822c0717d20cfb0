package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Response size limits. A certificate's answer is a kubeconfig of a few
// kilobytes; a listing of a project's clusters or of a domain's projects is
// a few hundred kilobytes at a thousand items. The limits stop a hostile or
// broken endpoint (an endless chunked body, a huge one) from filling memory:
// the SDK reads a whole body before decoding it. The time limit is the
// request timeout (Config.Timeout), which covers reading the body too.
const (
	maxKubeconfigBody = 1 << 20 // clustercert, a fleet's cert and kubeconfig
	maxListingBody    = 8 << 20 // every other answer (a project of 1,000 clusters is about 2-4 MB)
)

// errBodyTooLarge marks an answer cut at its limit.
var errBodyTooLarge = errors.New("the cloud's answer is too large")

// bodyLimit is the most a response to req may hold.
func bodyLimit(req *http.Request) int64 {
	p := strings.TrimSuffix(req.URL.Path, "/")
	if strings.HasSuffix(p, "/clustercert") || strings.HasSuffix(p, "/cert") || strings.HasSuffix(p, "/kubeconfig") {
		return maxKubeconfigBody
	}
	return maxListingBody
}

// limitedBody fails the read that would pass limit bytes.
type limitedBody struct {
	io.ReadCloser
	left, limit int64
}

func limitBody(rc io.ReadCloser, limit int64) *limitedBody {
	return &limitedBody{ReadCloser: rc, left: limit, limit: limit}
}

// Read reads at most the bytes left, then one more to tell a body of
// exactly limit bytes from a longer one.
func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w: over %d MiB; the endpoint is not a Huawei Cloud API (check CCECERT_ENDPOINT, the site and HTTPS_PROXY)", errBodyTooLarge, b.limit>>20)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
