// deploy-check validates Ledgerline's deployment files with the reference implementations rather
// than with hand-written schemas:
//
//	deploy-check compose <docker-compose.yml>
//	    load with the Compose Specification's reference loader (compose-go); every long-running
//	    service must have a healthcheck
//	deploy-check k8s <kustomization dir>[+<component dir>...]...
//	    render with kustomize's Go API and decode every object strictly with the Kubernetes types
//	deploy-check render <kustomization dir>
//	    print the rendered objects as a JSON array
//
// Exit status 0: valid; 1: invalid (the reason on stderr); 2: usage.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 || (os.Args[1] != "k8s" && len(os.Args) != 3) {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "compose":
		err = checkCompose(os.Args[2])
	case "k8s":
		err = checkKustomizations(os.Args[2:])
	case "render":
		err = renderJSON(os.Args[2])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "deploy-check %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: deploy-check compose <docker-compose.yml>")
	fmt.Fprintln(os.Stderr, "       deploy-check render <kustomization dir>")
	fmt.Fprintln(os.Stderr, "       deploy-check k8s <kustomization dir>[+<component dir>...]...")
	os.Exit(2)
}
