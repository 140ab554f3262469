"""Demo data: real OCOP producers and products, with invented prices and stock."""
