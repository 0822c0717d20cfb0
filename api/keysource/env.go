package keysource

import (
	"context"

	"ccecert/api"
)

// envSource reads CLOUD_SDK_AK/SK/SECURITY_TOKEN (the seeds' variables).
type envSource struct{ getenv func(string) string }

func (envSource) Describe() string { return "env" }

func (e envSource) Keys(context.Context) (api.Keys, error) {
	cfg, err := api.ConfigFromEnv(e.getenv)
	if err != nil {
		return api.Keys{}, err
	}
	return api.Keys{AK: cfg.AK, SK: cfg.SK, SecurityToken: cfg.SecurityToken}, nil
}
