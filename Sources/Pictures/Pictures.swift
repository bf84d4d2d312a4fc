// Pixel images, PNG encoding, grids and SVG charts.
