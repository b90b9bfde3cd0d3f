/** A reading thread that cannot start, as a build missing a file would be. */
throw new Error('the model file is missing');
