package api

import (
	"context"
	"fmt"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/invoker"
)

// sdkInvoker is what the SDK's generated XxxInvoker types offer: extra
// headers, then the typed call.
type sdkInvoker[R any] interface {
	AddHeaders(headers map[string]string) *invoker.BaseInvoker
	Invoke() (R, error)
}

// invoke runs one SDK operation through c.do (retries, context, error
// classification), with a fresh invoker and the attempt's headers on each
// attempt.
func invoke[R any](ctx context.Context, c *Client, o op, newInvoker func() sdkInvoker[R]) (R, callRecord, error) {
	var resp R
	rec, err := c.do(ctx, o, func(h map[string]string) error {
		inv := newInvoker()
		inv.AddHeaders(h)
		var err error
		resp, err = inv.Invoke()
		return err
	})
	return resp, rec, err
}

// customInvoker calls a request def of our own through an SDK client (the
// legacy GET, which the SDK has no method for) with the typed Invoke the
// SDK generates for its own defs.
type customInvoker[R any] struct{ *invoker.BaseInvoker }

// newCustomInvoker is a customInvoker for request req of def on hc.
func newCustomInvoker[R any](hc *core.HcHttpClient, req any, d *def.HttpRequestDef) customInvoker[R] {
	return customInvoker[R]{invoker.NewBaseInvoker(hc, req, d)}
}

// Invoke runs the request and types its answer.
func (i customInvoker[R]) Invoke() (R, error) {
	var zero R
	out, err := i.BaseInvoker.Invoke()
	if err != nil {
		return zero, err
	}
	r, ok := out.(R)
	if !ok {
		return zero, fmt.Errorf("the SDK answered %T where %T was expected: report it", out, zero)
	}
	return r, nil
}
