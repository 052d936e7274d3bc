module.exports = require('./dist/gateway');
