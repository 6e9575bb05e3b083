// placeholder for the first dependency build
