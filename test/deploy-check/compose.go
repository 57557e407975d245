package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

// checkCompose loads the file the way `docker compose` does (compose-go is the Compose
// Specification's reference loader: JSON-schema validation, interpolation from the environment,
// merge keys, normalisation) and then asks that every long-running service has a healthcheck.
// A service is long-running unless its restart policy is "no" (a one-shot job).
func checkCompose(file string) error {
	ctx := context.Background()
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	opts, err := cli.NewProjectOptions(
		[]string{abs},
		cli.WithOsEnv,
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		// no .env or profiles: the check sees exactly what the file says
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for name, svc := range project.Services {
		if svc.Restart == "no" {
			continue
		}
		hc := svc.HealthCheck
		if hc == nil || hc.Disable || len(hc.Test) == 0 || hc.Test[0] == "NONE" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%s: long-running services without a healthcheck: %s", file, strings.Join(missing, ", "))
	}
	fmt.Printf("%s: valid, %d services, every long-running one with a healthcheck\n", file, len(project.Services))
	return nil
}
