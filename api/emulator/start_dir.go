package emulator

import "context"

// StartWithCA starts a server as Start does and writes its CA into dir,
// for a client that trusts it through CCECERT_CA_FILE (ccecert --demo,
// tests): it returns the environment that points ccecert at the server
// (Env) and the function that stops it.
func StartWithCA(ctx context.Context, opts Options, dir string) (environ []string, stop func() error, err error) {
	srv, err := Start(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		_ = srv.Close()
		return nil, nil, err
	}
	return srv.Env(caFile), srv.Close, nil
}
