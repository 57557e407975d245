package main

import (
	encjson "encoding/json"
	"fmt"
	"os"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// renderJSON prints what kustomize renders for one kustomization as a JSON array of objects, for
// checks written in the project's own language (test/deploy.test.ts runs each Deployment's
// environment through its service's config schema).
func renderJSON(dir string) error {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return fmt.Errorf("%s: kustomize: %w", dir, err)
	}
	objects := make([]map[string]interface{}, 0, resources.Size())
	for _, res := range resources.Resources() {
		m, err := res.Map()
		if err != nil {
			return err
		}
		objects = append(objects, m)
	}
	return encjson.NewEncoder(os.Stdout).Encode(objects)
}
