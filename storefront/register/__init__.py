"""The register: regions, producers and showrooms (models and look-ups); the lowest feature
layer, which every feature builds on."""
