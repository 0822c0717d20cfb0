package api

import (
	"context"
	"errors"
	"testing"

	"ccecert/api/emulator"
)

// everyCall runs each public cloud call once on c.
func everyCall(cce, autopilot, fleet Target, projectID, userID string) map[string]func(context.Context, *Client) error {
	return map[string]func(context.Context, *Client) error{
		"Projects": func(ctx context.Context, c *Client) error { _, err := c.Projects(ctx); return err },
		"Inventory": func(ctx context.Context, c *Client) error {
			_, err := c.Inventory(ctx, InventoryOptions{})
			return err
		},
		"VPCs": func(ctx context.Context, c *Client) error { _, err := c.VPCs(ctx, projectID); return err },
		"Issue CCE": func(ctx context.Context, c *Client) error {
			_, err := c.Issue(ctx, cce, CertRequest{Validity: Days(1)})
			return err
		},
		"Issue Autopilot": func(ctx context.Context, c *Client) error {
			_, err := c.Issue(ctx, autopilot, CertRequest{Validity: Days(1)})
			return err
		},
		"Issue fleet": func(ctx context.Context, c *Client) error {
			_, err := c.Issue(ctx, fleet, CertRequest{Validity: Days(1)})
			return err
		},
		"Revoke": func(ctx context.Context, c *Client) error { _, err := c.Revoke(ctx, cce, userID); return err },
	}
}

func TestEveryCallErrorClasses(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	cce, ap, fleet := e.target(t, "prod-web"), e.target(t, "serverless-api"), e.target(t, "global-prod")
	calls := everyCall(cce, ap, fleet, cce.ProjectID, e.srv.UserID)

	wrong, err := New(Config{AK: e.cfg.AK, SK: Secret("wrong-secret-key-xyz"), Endpoint: e.cfg.Endpoint, CAFile: e.cfg.CAFile,
		UserAgent: "ccecert/test", Retry: RetryPolicy{Sleep: e.sleeps.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()

	for name, call := range calls {
		t.Run(name+"/401", func(t *testing.T) {
			before := e.srv.Requests()
			err := call(context.Background(), wrong)
			if ae, ok := asError(err); !ok || ae.Status != 401 {
				t.Fatalf("wrong SK: %v", err)
			}
			if n := e.srv.Requests() - before; n != 1 {
				t.Fatalf("%d requests for a 401", n)
			}
			assertClean(t, err, "wrong-secret-key-xyz", e.srv.SK)
		})
		t.Run(name+"/500", func(t *testing.T) {
			e.srv.SetFaults(emulator.Faults{ErrorRate: 1})
			defer e.srv.SetFaults(emulator.Faults{})
			err := call(context.Background(), e.client)
			var ae *Error
			if !errors.As(err, &ae) || ae.Status != 500 || !ae.Retryable {
				t.Fatalf("server errors: %v", err)
			}
		})
		t.Run(name+"/cancelled", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			before := e.srv.Requests()
			if err := call(ctx, e.client); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled: %v", err)
			}
			if n := e.srv.Requests() - before; n != 0 {
				t.Fatalf("%d requests on a cancelled context", n)
			}
		})
	}
}
