"""The Pulumi stack programs: stack name -> settings -> providers -> components -> exports."""
